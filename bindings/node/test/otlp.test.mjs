// The OTLP exporter from Node (akt.otlp) against an HTTP receiver in the test (the Python
// receiver of tests/otlp decodes the protobuf; here: the requests, headers and answers),
// and akt's spans handed to @opentelemetry/api and its SDK (tracing.otelSink, idGenerator).
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { test } from 'node:test';
import { ExistsError, InvalidArgumentError, NotFoundError, otlp, tracing } from 'akt';
import { withSystem } from './helpers.mjs';

function receiver(status = 200) {
  const got = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      got.push({ path: req.url, headers: req.headers, bytes: Buffer.concat(chunks).length });
      res.writeHead(status, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    got, endpoint: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)),
  })));
}

const closedPort = () => new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => resolve(port));
  });
});

const relay = (to) => ({
  receive(ctx, msg) {
    if (msg === 'fail') throw new Error('asked to fail');
    if (msg === 'probe') ctx.respond('probed');
    else if (to) ctx.tell(to, msg);
  },
});

test('exports spans and metrics to the collector', async () => {
  const r = await receiver();
  try {
    await withSystem(async (system) => {
      otlp.start(system, { endpoint: r.endpoint, headers: { 'X-Tenant': 't1' }, serviceName: 'node-svc',
        batchSize: 8, flushIntervalMs: 100 });
      const b = system.spawn(relay(null), { name: 'b' });
      const a = system.spawn(relay(b), { name: 'a' });
      for (let i = 0; i < 10; i++) a.tell(`m${i}`);
      assert.equal(await b.ask('probe'), 'probed');
      for (let i = 0; i < 400 && b.metrics().processed < 11; i++) await new Promise((res) => setTimeout(res, 10));
      assert.equal(await otlp.flush(system, { timeoutMs: 10000 }), true);
      const st = otlp.stats(system);
      assert.equal(st.spansQueued, 21);
      assert.equal(st.spansExported, 21);
      assert.equal(st.spansDropped, 0);
      assert.equal(st.lastHttpStatus, 200);
      assert.ok(st.pointsExported > 0);
      assert.ok(r.got.some((q) => q.path === '/v1/traces') && r.got.some((q) => q.path === '/v1/metrics'));
      for (const q of r.got) {
        assert.equal(q.headers['x-tenant'], 't1');
        assert.equal(q.headers['content-type'], 'application/x-protobuf');
        assert.ok(q.bytes > 0);
      }
    });
  } finally {
    await r.close();
  }
});

test('a collector that is down or answers 500: drops counted, the runtime goes on', async () => {
  await withSystem(async (system) => {
    otlp.start(system, { endpoint: `http://127.0.0.1:${await closedPort()}`, queueCapacity: 16, batchSize: 4,
      timeoutMs: 1000, maxRetries: 1 });
    const p = system.spawn(relay(null), { name: 'p' });
    for (let i = 0; i < 100; i++) p.tell(i);
    assert.equal(await p.ask('probe'), 'probed');
    assert.equal(await otlp.flush(system, { timeoutMs: 20000 }), false);
    const st = otlp.stats(system);
    assert.equal(st.spansExported, 0);
    assert.ok(st.spansDropped > 0 && st.spansDroppedFull > 0 && st.retries > 0, JSON.stringify(st));
    assert.ok(st.queueSize <= 16);
  });
  const r = await receiver(500);
  try {
    await withSystem(async (system) => {
      otlp.start(system, { endpoint: r.endpoint, maxRetries: 3 });
      const p = system.spawn(relay(null), { name: 'p' });
      assert.equal(await p.ask('probe'), 'probed');
      assert.equal(await otlp.flush(system), false);
      const st = otlp.stats(system);
      assert.equal(st.lastHttpStatus, 500);
      assert.equal(st.retries, 0); // 500 is not retried
      assert.ok(st.spansDropped >= 1 && st.pointsDropped > 0);
    });
  } finally {
    await r.close();
  }
});

test('bad configuration', async () => {
  await withSystem(async (system) => {
    await assert.rejects(otlp.flush(system), NotFoundError);
    assert.throws(() => otlp.stats(system), NotFoundError);
    assert.throws(() => otlp.start(system), TypeError);
    assert.throws(() => otlp.start(system, { endpoint: 42 }), TypeError);
    for (const endpoint of ['ftp://127.0.0.1:1', '', 'http://a b']) {
      assert.throws(() => otlp.start(system, { endpoint }), InvalidArgumentError, endpoint);
    }
    const endpoint = 'http://127.0.0.1:1';
    assert.throws(() => otlp.start(system, { endpoint, headers: ['X-A: b\r\nX-B: c'] }), InvalidArgumentError);
    assert.throws(() => otlp.start(system, { endpoint, headers: { 'bad name': 'v' } }), InvalidArgumentError);
    assert.throws(() => otlp.start(system, { endpoint, headers: 42 }), TypeError);
    assert.throws(() => otlp.start(system, { endpoint, batchSize: 0 }), InvalidArgumentError);
    assert.throws(() => otlp.start(system, { endpoint, batchSize: 1.5 }), TypeError);
    assert.throws(() => otlp.start(system, { endpoint, batchSize: -1 }), RangeError);
    assert.throws(() => otlp.start(system, { endpoint, batchSize: 100, queueCapacity: 10 }), InvalidArgumentError);
    assert.throws(() => otlp.start(system, { endpoint, traces: false, metrics: false }), RangeError);
    assert.throws(() => otlp.start(system, { endpoint, timeoutMs: 0 }), InvalidArgumentError);
    await assert.rejects(otlp.flush(system, { timeoutMs: -1 }), TypeError);
    otlp.start(system, { endpoint, metrics: false });
    assert.throws(() => otlp.start(system, { endpoint }), ExistsError);
  });
});

test('spans to the OpenTelemetry SDK keep akt ids, parents and times', async () => {
  const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  const api = await import('@opentelemetry/api');
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ idGenerator: tracing.idGenerator(), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('akt-test');
  // keepAlive: only tells are in flight while `four` is pending (c's failure and restart
  // run on akt's threads), and an idle system does not hold Node's event loop.
  await withSystem(async (system) => {
    const seen = [];
    const sdkSink = tracing.otelSink(tracer);
    let done;
    const four = new Promise((res) => { done = res; });
    tracing.setTraceSink(system, (s) => {
      seen.push(s);
      sdkSink(s);
      if (seen.length === 4) done();
    });
    const c = system.spawn(relay(null), { name: 'c' });
    const b = system.spawn(relay(c), { name: 'b' });
    const a = system.spawn(relay(b), { name: 'a' });
    a.tell('go');
    c.tell('fail');
    await four;
    const got = new Map(exporter.getFinishedSpans().map((o) => [o.spanContext().spanId, o]));
    assert.equal(got.size, 4);
    for (const s of seen) {
      const o = got.get(s.spanId);
      assert.ok(o, s.spanId);
      assert.equal(o.spanContext().traceId, s.traceId);
      assert.equal(o.parentSpanContext?.spanId ?? null, s.parentId);
      assert.equal(o.name, s.name);
      assert.equal(o.kind, api.SpanKind.CONSUMER);
      assert.deepEqual(o.startTime, [Number(s.startNs / 1000000000n), Number(s.startNs % 1000000000n)]);
      assert.equal(o.attributes['actor.address'], s.actorPath);
      assert.equal(o.attributes['message.type'], s.messageType);
      if (s.status) {
        assert.equal(o.status.code, api.SpanStatusCode.ERROR);
        assert.equal(o.attributes['akt.error.code'], s.status);
      }
    }
    assert.equal(seen.filter((s) => s.status).length, 1);
    tracing.setTraceSink(system, null);
    assert.throws(() => tracing.recordSpan(tracer, { ...seen[0], traceId: '0'.repeat(32) }), TypeError);
    assert.throws(() => tracing.otelSink(null), TypeError);
  }, 'otel-sdk', { keepAlive: true });
});
