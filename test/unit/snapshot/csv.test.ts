// parseCsv (RFC 4180): lines without a quote are split at once, rows with a quote are
// read a character at a time; both must give the rows, fields and lines of the format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../../../src/core/snapshot/csv';

const rows = (text: string): [number, string[]][] => parseCsv(text).map((r) => [r.line, r.fields]);

test('parseCsv: plain lines, blank lines, CRLF, lone CR, BOM, no final line break', () => {
  assert.deepEqual(rows('id,name,category\n2269,Binance CEX,CEX\n182,Lido,\n'), [
    [1, ['id', 'name', 'category']],
    [2, ['2269', 'Binance CEX', 'CEX']],
    [3, ['182', 'Lido', '']],
  ]);
  assert.deepEqual(rows('\uFEFFa,b\r\n\r\nc,d\re,f'), [
    [1, ['a', 'b']],
    [3, ['c', 'd']],
    [4, ['e', 'f']],
  ]);
  assert.deepEqual(rows(',\n \n'), [
    [1, ['', '']],
    [2, [' ']],
  ]);
  assert.deepEqual(rows(''), []);
  assert.deepEqual(rows('\n\n'), []);
});

test('parseCsv: quoted fields among plain lines keep commas, quotes and line breaks, and the lines after them count right', () => {
  const text = 'id,name\n1,plain\n2,"AAVE V3, ""the"" lender"\n3,"two\nlines",x\r\n4,last\n"",\n""\n5,"a\r\nb"\n6,z';
  assert.deepEqual(rows(text), [
    [1, ['id', 'name']],
    [2, ['1', 'plain']],
    [3, ['2', 'AAVE V3, "the" lender']],
    [4, ['3', 'two\nlines', 'x']],
    [6, ['4', 'last']],
    [7, ['', '']],
    // line 8, one empty quoted field: a blank row, as a blank line is
    [9, ['5', 'a\r\nb']],
    [11, ['6', 'z']],
  ]);
});

test('parseCsv: errors name the line, after plain lines too', () => {
  assert.throws(() => parseCsv('a,b\nc,d\ne,"open\n\nmore'), /^Error: line 3: unterminated quoted field$/);
  assert.throws(() => parseCsv('a,b\nc,d"e\n'), /^Error: line 2: a quote inside an unquoted field$/);
  assert.throws(() => parseCsv('a,b\n"x\ny"z,1\n'), /^Error: line 3: expected ',' or end of line after a closing quote, got 'z'$/);
});
