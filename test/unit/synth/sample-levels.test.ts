/**
 * The bundled sample (examples/data) never puts an implausible number on a real name:
 * every node whose id is an official protocol of the mapping carries, in every week, a
 * TVL within a factor of 10 of that protocol's real level. The real level is its real
 * monthly TVL (protocol-monthly-tvl-2020-2023.csv, 98 protocols through 2023-10: the
 * two month-start readings around the week) where the real aggregates hold one, else
 * its December-2025 TVL (protocols-tvl-2025-12.csv, by name). The sample before its
 * real protocols without a 2022 trajectory held their 2025 share of the week failed
 * this: 93 protocol-weeks outside, e.g. Curve DEX $0.20B on 2022-08-01 against $2.18B
 * in December 2025 (real mid-2022: ~$6B), Rocket Pool $0.13B against $1.76B.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readRealAggregates } from '../../../src/core/realism';
import { readMappingFiles } from '../../../src/core/exposure/mapping-files';

const SAMPLE = join(__dirname, '..', '..', '..', 'examples', 'data');
const REAL = readRealAggregates();

/** Mapping name -> December-2025 name, for protocols DefiLlama renamed since the release. */
const RENAMED: Record<string, string> = { MakerDAO: 'sky lending', EigenLayer: 'eigencloud', Ethena: 'ethena usde', Spark: 'sparklend', 'Morpho Blue': 'morpho v1' };

test('every real protocol name in the sample carries a TVL within a factor of 10 of its real level (2022 trajectory where known, else December 2025)', () => {
  const mapping = readMappingFiles(join(SAMPLE, 'mapping'));
  const file = readdirSync(SAMPLE).find((n) => n.startsWith('historical-network_week_'))!;
  const data: Record<string, { nodes: { id: string | null; size: number }[] }> = JSON.parse(readFileSync(join(SAMPLE, file), 'utf8')).data;
  const level2025 = new Map<string, number>();
  for (const p of REAL.tvl2025) if (p.tvl > 0) level2025.set(p.name.toLowerCase(), Math.max(level2025.get(p.name.toLowerCase()) ?? 0, p.tvl));

  const outside: string[] = [];
  const checked = { monthly: 0, dec2025: 0 };
  const names = new Set<string>();
  for (const [week, net] of Object.entries(data)) {
    for (const n of net.nodes) {
      const info = n.id === null ? undefined : mapping.idToInfo.get(n.id);
      if (!info) continue;
      let range: [number, number] | undefined;
      const months = REAL.monthly.get(n.id!);
      const m0 = months?.get(week.slice(0, 7));
      if (m0 !== undefined) {
        const next = new Date(`${week.slice(0, 7)}-01T00:00:00Z`);
        next.setUTCMonth(next.getUTCMonth() + 1);
        const m1 = months!.get(next.toISOString().slice(0, 7)) ?? m0;
        range = [Math.min(m0, m1), Math.max(m0, m1)];
        checked.monthly++;
      } else {
        const l = level2025.get(info.name.toLowerCase()) ?? level2025.get(RENAMED[info.name] ?? '');
        if (l === undefined) {
          // A real name with no real level anywhere must not be in the sample at all.
          outside.push(`${info.name} (${n.id}) in ${week}: no real level known`);
          continue;
        }
        range = [l, l];
        checked.dec2025++;
      }
      names.add(info.name);
      if (!(n.size >= range[0] / 10 && n.size <= range[1] * 10)) {
        outside.push(`${info.name} (${n.id}) in ${week}: $${(n.size / 1e9).toFixed(3)}B vs real $${(range[0] / 1e9).toFixed(3)}B..$${(range[1] / 1e9).toFixed(3)}B`);
      }
    }
  }
  console.log(JSON.stringify({ ...checked, names: names.size }));
  assert.deepEqual(outside.slice(0, 20), [], `${outside.length} real protocol-weeks outside a factor of 10 of the real level`);
  // Not vacuous: the sample's largest real protocols are among those checked, on both sources.
  for (const name of ['Lido', 'Curve DEX', 'MakerDAO', 'Uniswap V3', 'AAVE V2']) assert.ok(names.has(name), `${name} not checked`);
  assert.ok(checked.monthly >= 500 && checked.dec2025 >= 1000, `checked ${checked.monthly} protocol-weeks against a 2022 trajectory, ${checked.dec2025} against December 2025`);
});
