// The training suite of `npm test`:
//  1. the Python unit tests in training/test (metrics, dataset reader, splits,
//     reproducibility);
//  2. a tiny end-to-end run for each training-set version (v1, and v2 with pair
//     features and negative kinds): fixture training set -> `python3 -m dxtrain`
//     (2 epochs, h=1) -> ONNX graphs + cards (v2: pairFeatures with hash, pair_x input);
//  3. pretraining on a fixture corpus of histories (one model for h = 1 and 4), and
//     fine-tuning h = 4 from its pretrained.pt;
//  4. export parity of every model set above: the exported graphs run by onnxruntime-node reproduce the
//     PyTorch outputs on a fixture input within 1e-4, and each card's sha256 matches
//     its file.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireTorch } from './python-env.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const python = requireTorch({ install: true });
const env = { ...process.env, PYTHONPATH: [join(root, 'training'), process.env.PYTHONPATH].filter(Boolean).join(':') };
const TOL = 1e-4;

function run(cmd, args, opts = {}) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env, ...opts });
  if (r.status !== 0) {
    console.error(`test-training: failed: ${cmd} ${args.join(' ')} (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

run(python, ['-m', 'unittest', 'discover', '-s', join(root, 'training', 'test'), '-t', join(root, 'training'), '-v']);

const ort = (await import('onnxruntime-node')).default;
const i64 = (a) => BigInt64Array.from(a, (v) => BigInt(v));
const f32 = (a, dims) => new ort.Tensor('float32', Float32Array.from(a), dims);

/** Train 2 epochs on a fixture of training-set `version`, then check the cards and ORT/PyTorch parity. */
async function endToEnd(tmp, version) {
  const data = join(tmp, `data-v${version}`);
  const models = join(tmp, `models-v${version}`);
  const parity = join(tmp, `parity-v${version}.json`);
  run(python, [join(root, 'training', 'test', 'fixture.py'), data, '--version', String(version)]);
  run(python, ['-m', 'dxtrain', '--data', data, '--out', models, '--horizons', '1', '--epochs', '2', '--parity', parity]);
  return checkModelSet(join(models, 'h1'), parity, join(data, 'index.json'), `v${version}`);
}

/** Pretrain on a fixture corpus (h = 1 and 4 in one model), then fine-tune h = 4 from it: both exports checked. */
async function pretrainEndToEnd(tmp) {
  const corpus = join(tmp, 'corpus');
  const pre = join(tmp, 'pretrained');
  const fine = join(tmp, 'finetuned');
  const data = join(tmp, 'data-target');
  run(python, ['-c', `from test.fixture import make_corpus; make_corpus(${JSON.stringify(corpus)}, seeds=(0, 1, 9), weeks=16)`]);
  run(python, ['-m', 'dxtrain.pretrain', '--corpus', corpus, '--out', pre, '--horizons', '1,4', '--steps', '30', '--checkpoint-every', '10', '--parity', join(tmp, 'parity-pre.json')]);
  run(python, [join(root, 'training', 'test', 'fixture.py'), data, '--version', '2', '--seed', '77']);
  run(python, ['-m', 'dxtrain', '--data', data, '--out', fine, '--horizons', '4', '--epochs', '2', '--pretrained', join(pre, 'pretrained.pt'), '--parity', join(tmp, 'parity-fine.json')]);
  const shard = join(corpus, 'shard-0', 'index.json');
  return [
    ...(await checkModelSet(join(pre, 'h1'), join(tmp, 'parity-pre-h1.json'), shard, 'pretrained h1')),
    ...(await checkModelSet(join(pre, 'h4'), join(tmp, 'parity-pre-h4.json'), shard, 'pretrained h4')),
    ...(await checkModelSet(join(fine, 'h4'), join(tmp, 'parity-fine.json'), join(data, 'index.json'), 'fine-tuned h4')),
  ];
}

async function checkModelSet(dir, parity, indexPath, label) {
  const p = JSON.parse(readFileSync(parity, 'utf8'));
  const I = p.inputs;
  const index = JSON.parse(readFileSync(indexPath, 'utf8'));
  const version = index.version;
  const failures = [];
  for (const role of ['encoder', 'link', 'node']) {
    const card = JSON.parse(readFileSync(join(dir, `${role}.card.json`), 'utf8'));
    const sha = createHash('sha256').update(readFileSync(join(dir, card.file))).digest('hex');
    const cal = card.calibration;
    if (!cal || cal.method !== 'platt' || !Number.isFinite(cal.scale) || !Number.isFinite(cal.shift) || !(cal.eceAfter >= 0)) {
      failures.push(`${role}.card.json: no Platt calibration record (got ${JSON.stringify(cal)})`);
    }
    if (sha !== card.sha256) failures.push(`${role}.card.json: sha256 ${card.sha256} but ${card.file} hashes to ${sha}`);
    // Version 2: the card carries the training set's pair-feature schema (with its hash) and the link graph takes pair_x.
    const want = version >= 2 ? index.pairFeatures : undefined;
    if (JSON.stringify(card.pairFeatures) !== JSON.stringify(want)) {
      failures.push(`${role}.card.json: pairFeatures ${JSON.stringify(card.pairFeatures)}, expected ${JSON.stringify(want)}`);
    }
    if (role === 'link' && card.inputs.includes('pair_x') !== version >= 2) failures.push(`link.card.json: inputs ${card.inputs} (version ${version})`);
  }
  // one intra-op thread, as the extension runs graphs with ScatterND (training/dxtrain/onnx_scatter.py)
  const session = (role) => ort.InferenceSession.create(join(dir, `${role}.onnx`), { intraOpNumThreads: 1 });
  const edgeIndex = new ort.Tensor('int64', i64(I.edge_index), [2, I.E]);
  const edgeLw = f32(I.edge_lw, [I.E]);
  const enc = await (await session('encoder')).run({ x: f32(I.x, [I.N, I.F]), edge_index: edgeIndex, edge_lw: edgeLw });
  const link = await (await session('link')).run({
    h: enc.h,
    link_src: enc.link_src,
    link_dst: enc.link_dst,
    pairs: new ort.Tensor('int64', i64(I.pairs), [2, I.P]),
    base_lw: f32(I.base_lw, [I.P]),
    ...(I.pair_x ? { pair_x: f32(I.pair_x, [I.P, I.K]) } : {}),
  });
  const node = await (await session('node')).run({ h: enc.h, edge_index: edgeIndex, edge_lw: edgeLw });
  const got = { h: enc.h, link_src: enc.link_src, link_dst: enc.link_dst, logit: link.logit, pred_lw: link.pred_lw, node_dlog: node.node_dlog };
  for (const [name, tensor] of Object.entries(got)) {
    const want = p.outputs[name];
    if (tensor.data.length !== want.length) {
      failures.push(`${name}: ORT gave ${tensor.data.length} values, PyTorch ${want.length}`);
      continue;
    }
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(tensor.data[i] - want[i]));
    console.log(`${label} parity ${name}: max |ORT - PyTorch| = ${worst.toExponential(2)} over ${want.length} values`);
    if (!(worst <= TOL)) failures.push(`${name}: max abs difference ${worst} > ${TOL}`);
  }
  return failures.map((f) => `${label} ${f}`);
}

const tmp = mkdtempSync(join(tmpdir(), 'dexposure-train-'));
try {
  const failures = [...(await endToEnd(tmp, 1)), ...(await endToEnd(tmp, 2)), ...(await pretrainEndToEnd(tmp))];
  if (failures.length) {
    console.error(`test-training: export parity failed:\n  ${failures.join('\n  ')}`);
    process.exit(1);
  }
  console.log('\ntest-training: unit tests, end-to-end training (training sets v1 and v2, pretraining and fine-tuning) and ONNX export parity passed');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
