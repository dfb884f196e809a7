import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { heldBytes } from '../src/model/artifact.js';
import { COMPILED_RULES, contentHash, documentOf, parseRulesYaml } from '../src/rules/yaml-cache.js';
import { blobBuffer, inSlab, isShared, releaseBlob, shareBlob } from '../src/util/blob-slabs.js';
import { Channel } from '../src/util/channel.js';
import { reclaimAfter } from '../src/util/reclaim.js';
import { PACKAGE_ROOT, RULES_DIR } from '../src/util/paths.js';

describe('blob slabs: shared memory for blobs, reused once released', () => {
  it('small blobs share slabs; a slab is reused only after every blob in it is released', () => {
    const first = Array.from({ length: 40 }, () => blobBuffer(64 << 10)); // 2.5 MB: fills two slabs and starts a third
    for (const b of first) expect(inSlab(b) && isShared(b)).toBe(true);
    const slabsUsed = new Set(first.map((b) => b.buffer));
    expect(slabsUsed.size).toBe(3);
    first.forEach((b, i) => b.fill(i));
    // Hold one blob of the first slab: its slab must not come back while the others do.
    const held = first[0];
    for (const b of first.slice(1)) releaseBlob(b);
    const next = Array.from({ length: 40 }, () => blobBuffer(64 << 10));
    for (const b of next) b.fill(0xee);
    expect(held.every((x) => x === 0)).toBe(true); // untouched by the new blobs
    expect(next.some((b) => b.buffer === first[0].buffer)).toBe(false);
    expect(next.some((b) => b.buffer === first[20].buffer)).toBe(true); // the second slab was reused
    releaseBlob(held);
    for (const b of next) releaseBlob(b);
  });

  it('a retained blob needs one release per reader', () => {
    const a = Array.from({ length: 20 }, () => blobBuffer(100 << 10)); // two slabs
    const shared = a[0];
    shareBlob(shared, 2); // two readers
    for (const b of a) releaseBlob(b); // the first reader and every other blob
    const b = Array.from({ length: 20 }, () => blobBuffer(100 << 10));
    expect(b.some((x) => x.buffer === shared.buffer)).toBe(false);
    releaseBlob(shared); // the second reader
    for (const x of b) releaseBlob(x);
    const c = Array.from({ length: 30 }, () => blobBuffer(100 << 10));
    expect(c.some((x) => x.buffer === shared.buffer)).toBe(true);
    for (const x of c) releaseBlob(x);
  });

  it('a large blob has shared memory of its own; buffers from elsewhere are left alone', () => {
    const big = blobBuffer(3 << 20);
    expect(isShared(big) && !inSlab(big)).toBe(true);
    expect(big.byteLength).toBe(3 << 20);
    const plain = new Uint8Array(10);
    expect(() => releaseBlob(plain)).not.toThrow();
    expect(isShared(plain)).toBe(false);
  });
});

describe('channel: bounded by bytes as well as by items', () => {
  it('a producer of large blobs waits once the queue holds maxWeight bytes, and resumes as they are taken', async () => {
    const ch = new Channel<Uint8Array>(1000, (b) => b.byteLength, 4 << 20);
    let pushed = 0;
    const producer = (async () => {
      for (let i = 0; i < 20; i++) {
        await ch.push(new Uint8Array(1 << 20));
        pushed++;
      }
      ch.close();
    })();
    await new Promise((r) => setTimeout(r, 20));
    expect(pushed).toBe(3); // the fourth push filled 4 MB and waits
    let taken = 0;
    for await (const b of ch) {
      taken += b.byteLength;
      expect(pushed - taken / (1 << 20)).toBeLessThanOrEqual(4);
    }
    await producer;
    expect(taken).toBe(20 << 20);
  });

  it('an artifact holds the bytes of its in-memory content, nothing for a file to read', () => {
    expect(heldBytes({ kind: 'text', content: { bytes: new Uint8Array(7) } })).toBe(7);
    expect(heldBytes({ kind: 'text', content: { file: '/x' } })).toBe(0);
    expect(heldBytes({ kind: 'stats' })).toBe(0);
  });
});

describe('compiled rules: the build parses rules/ once, and never serves a stale document', () => {
  const files = readdirSync(RULES_DIR, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));

  it('holds every YAML file under rules/, each exactly as YAML parses it', () => {
    const compiled = JSON.parse(readFileSync(COMPILED_RULES, 'utf8')) as Record<string, { sha: string; doc: unknown }>;
    expect(files.length).toBeGreaterThan(800);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const entry = compiled[relative(PACKAGE_ROOT, f)];
      expect(entry?.sha, f).toBe(contentHash(text));
      expect(entry.doc).toEqual(YAML.parse(text));
    }
  });

  it('a file whose content differs from the build (or that the build did not see) is parsed', () => {
    const built = 'provider: Built\nrules: []\nno_rule: as built\n';
    const compiled = { 'rules/secrets/x.yaml': { sha: contentHash(built), doc: { provider: 'From the cache' } } };
    expect(documentOf(compiled, 'rules/secrets/x.yaml', built)).toEqual({ provider: 'From the cache' });
    const edited = built.replace('Built', 'Edited');
    expect(documentOf(compiled, 'rules/secrets/x.yaml', edited)).toEqual({ provider: 'Edited', rules: [], no_rule: 'as built' });
    expect(documentOf(compiled, 'rules/secrets/new.yaml', built)).toEqual({ provider: 'Built', rules: [], no_rule: 'as built' });
    expect(parseRulesYaml(files[0])).toEqual(YAML.parse(readFileSync(files[0], 'utf8')));
  });
});

describe('reclaim: dead buffers are freed after every 8 MB of content, not after V8 sees 64 MB', () => {
  it('array buffers dropped and counted are collected', async () => {
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 24; i++) {
      const b = new Uint8Array(new ArrayBuffer(1 << 20)).fill(1);
      reclaimAfter(b.byteLength, true);
    }
    await new Promise((r) => setTimeout(r, 50)); // array buffers are swept just after the collection
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(8 << 20);
  });
});
