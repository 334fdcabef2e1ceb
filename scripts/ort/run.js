#!/usr/bin/env node
// Runs an ONNX model on ONNX Runtime (CPU) and writes each output as
// OUTDIR/<name>.npy, named like escalate-run's outputs, so the two can be
// compared with `escalate-run --expected`.
// Usage: node run.js MODEL.onnx OUTDIR INPUT.npy... [--repeat N]
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

function readNpy(file) {
  const buf = fs.readFileSync(file);
  if (buf.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error(`${file}: not a .npy file`);
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const offset = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', offset, offset + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1]
    .split(',').map((s) => s.trim()).filter((s) => s.length).map(Number);
  const data = buf.subarray(offset + headerLen);
  const copy = (Type) => new Type(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
  if (descr === '<f4') return new ort.Tensor('float32', copy(Float32Array), shape);
  if (descr === '<i8') return new ort.Tensor('int64', copy(BigInt64Array), shape);
  throw new Error(`${file}: unsupported dtype ${descr}`);
}

function writeNpy(file, tensor) {
  const descr = tensor.type === 'float32' ? '<f4' : '<i8';
  const dims = tensor.dims.length === 1 ? `${tensor.dims[0]},` : tensor.dims.join(', ');
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1; pre[7] = 0; pre.writeUInt16LE(header.length, 8);
  const body = Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, Buffer.concat([pre, Buffer.from(header, 'latin1'), body]));
  fs.renameSync(tmp, file);
}

async function main() {
  const args = process.argv.slice(2);
  let repeat = 1;
  const r = args.indexOf('--repeat');
  if (r >= 0) { repeat = Number(args[r + 1]); args.splice(r, 2); }
  const [model, outDir, ...inputs] = args;
  if (!model || !outDir) throw new Error('usage: run.js MODEL.onnx OUTDIR INPUT.npy... [--repeat N]');
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1 });
  if (inputs.length !== session.inputNames.length)
    throw new Error(`model has ${session.inputNames.length} inputs, ${inputs.length} given`);
  const feeds = {};
  session.inputNames.forEach((name, i) => { feeds[name] = readNpy(inputs[i]); });
  let results, best = Infinity;
  for (let i = 0; i < repeat; ++i) {
    const start = process.hrtime.bigint();
    results = await session.run(feeds);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  fs.mkdirSync(outDir, { recursive: true });
  for (const name of session.outputNames)
    writeNpy(path.join(outDir, `${name.replace(/[^A-Za-z0-9._-]/g, '_') || 'output'}.npy`), results[name]);
  console.log(`onnxruntime seconds=${best.toFixed(4)}`);
}

main().catch((e) => { console.error(`ort-run: error: ${e.message}`); process.exit(1); });
