// The Kubernetes manifests in deploy/kubernetes, checked without a cluster: every YAML document
// parses (the `yaml` package) and validates against the Kubernetes OpenAPI schemas (the typed models
// of the `kubernetes-models` npm package, which ship their JSON-schema validators compiled); and the
// manifests agree with the processes: container args parse with the real flag parsers, probe and
// container ports are the ports those args listen on, probe services are health services the
// process serves, the supervisor resolves the headless Service's name and port, the workers read
// files from the supervisor's Service, both take the shared secret from the one Secret, and the
// autoscaler targets the worker Deployment.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { HEALTH_SERVICES } from '@tabagent/common';
import { parseMlArgs } from '@tabagent/ml-service';
import { parseConfig } from '@tabagent/supervisor';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Secret, Service } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '../support/paths.js';

const DIR = join(repoRoot, 'deploy', 'kubernetes');
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment, 'v1/Service': Service, 'v1/Secret': Secret, 'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
};

interface Doc { apiVersion: string; kind: string; metadata: { name: string }; spec?: Record<string, unknown>; [k: string]: unknown }
interface Container {
  name: string; args: string[]; ports: Array<{ name: string; containerPort: number }>;
  env: Array<{ name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
  livenessProbe: { grpc: { port: number; service: string } }; readinessProbe: { grpc: { port: number; service: string } };
  resources: { requests: Record<string, string> };
}

function loadAll(): Doc[] {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
  assert.ok(files.length >= 4, `manifests found: ${files.join(', ')}`);
  return files.flatMap((f) => parseAllDocuments(readFileSync(join(DIR, f), 'utf8')).map((d) => {
    assert.deepEqual(d.errors, [], `${f} parses`);
    return d.toJS() as Doc;
  }));
}

const find = (docs: Doc[], kind: string, name: string): Doc => {
  const d = docs.find((x) => x.kind === kind && x.metadata.name === name);
  assert.ok(d, `${kind}/${name} exists`);
  return d;
};
const containerOf = (d: Doc): Container => (d.spec as { template: { spec: { containers: Container[] } } }).template.spec.containers[0]!;
const portOf = (addr: string): number => Number(/:(\d+)$/.exec(addr)?.[1]);

/** Health services each process sets (ml-service server.ts; the supervisor's app.ts + capability-health.ts). */
const ML_SERVES: ReadonlySet<string> = new Set([HEALTH_SERVICES.server, HEALTH_SERVICES.runtime, HEALTH_SERVICES.vision, HEALTH_SERVICES.text]);
const SUPERVISOR_SERVES: ReadonlySet<string> = new Set([HEALTH_SERVICES.server, HEALTH_SERVICES.ml, HEALTH_SERVICES.vision, HEALTH_SERVICES.text]);

describe('deploy/kubernetes manifests', () => {
  const docs = loadAll();

  it('validate against the Kubernetes schemas, and the validator rejects a broken one', () => {
    for (const d of docs) {
      const Model = MODELS[`${d.apiVersion}/${d.kind}`];
      assert.ok(Model, `a schema for ${d.apiVersion} ${d.kind}`);
      new Model(d as never).validate();
    }
    const broken = structuredClone(find(docs, 'Deployment', 'tabagent-ml'));
    containerOf(broken).livenessProbe.grpc.port = 'grpc' as unknown as number;
    assert.throws(() => new Deployment(broken as never).validate(), /livenessProbe\/grpc\/port must be integer/);
  });

  it('ML workers: args parse, probes and ports are what `--mode ml` listens on and serves', () => {
    const c = containerOf(find(docs, 'Deployment', 'tabagent-ml'));
    const [modeFlag, mode, ...rest] = c.args;
    assert.deepEqual([modeFlag, mode], ['--mode', 'ml']);
    // tabagent-server maps --ml-listen to the ML service's --listen (supervisor/src/cli.ts).
    const ml = parseMlArgs(rest.map((a) => (a === '--ml-listen' ? '--listen' : a)), {});
    assert.match(ml.listen, /^0\.0\.0\.0:\d+$/, 'listens on every interface of the pod');
    const port = portOf(ml.listen);
    assert.deepEqual(c.ports.map((p) => [p.name, p.containerPort]), [['grpc', port]]);
    for (const probe of [c.livenessProbe, c.readinessProbe]) {
      assert.equal(probe.grpc.port, port);
      assert.ok(ML_SERVES.has(probe.grpc.service), `the ML service serves health service "${probe.grpc.service}"`);
    }
    assert.equal(c.livenessProbe.grpc.service, HEALTH_SERVICES.server);
    const svc = find(docs, 'Service', 'tabagent-ml').spec as { clusterIP: string; ports: Array<{ port: number; targetPort: string }> };
    assert.equal(svc.clusterIP, 'None', 'headless: one DNS record per pod');
    assert.deepEqual(svc.ports.map((p) => [p.port, p.targetPort]), [[port, 'grpc']]);
    // The files endpoint is the supervisor's Service and gRPC port.
    const sup = find(docs, 'Service', 'tabagent').spec as { ports: Array<{ name: string; port: number }> };
    assert.equal(ml.filesEndpoint, `tabagent:${sup.ports.find((p) => p.name === 'grpc')?.port}`);
    assert.ok(c.resources.requests['cpu'] && c.resources.requests['memory']);
  });

  it('supervisor: args parse, probes and ports match its config; it resolves the headless Service', () => {
    const c = containerOf(find(docs, 'Deployment', 'tabagent'));
    const config = parseConfig(c.args, undefined, { TABAGENT_ML_SECRET: 'x' });
    assert.equal(config.mode, 'supervisor');
    assert.equal(config.host, '0.0.0.0');
    assert.deepEqual(c.ports.map((p) => [p.name, p.containerPort]), [['grpc', config.port], ['http', config.httpPort]]);
    for (const probe of [c.livenessProbe, c.readinessProbe]) {
      assert.equal(probe.grpc.port, config.port);
      assert.ok(SUPERVISOR_SERVES.has(probe.grpc.service), `the supervisor serves health service "${probe.grpc.service}"`);
    }
    assert.equal(c.readinessProbe.grpc.service, HEALTH_SERVICES.ml, 'ready while an ML node is up');
    const mlSvc = find(docs, 'Service', 'tabagent-ml').spec as { ports: Array<{ port: number }> };
    assert.deepEqual(config.mlEndpoints, [`dns:///tabagent-ml:${mlSvc.ports[0]?.port}`]);
    const sup = find(docs, 'Service', 'tabagent').spec as { ports: Array<{ name: string; port: number; targetPort: string }> };
    assert.deepEqual(sup.ports.map((p) => [p.name, p.targetPort]), [['grpc', 'grpc'], ['http', 'http']]);
  });

  it('the shared secret comes from the one Secret on both sides; the HPA scales the workers', () => {
    const secret = find(docs, 'Secret', 'tabagent-ml-secret') as Doc & { stringData: Record<string, string> };
    for (const name of ['tabagent', 'tabagent-ml']) {
      const ref = containerOf(find(docs, 'Deployment', name)).env.find((e) => e.name === 'TABAGENT_ML_SECRET')?.valueFrom?.secretKeyRef;
      assert.deepEqual(ref, { name: 'tabagent-ml-secret', key: 'secret' }, name);
      assert.ok(ref && secret.stringData[ref.key] !== undefined);
    }
    const hpa = find(docs, 'HorizontalPodAutoscaler', 'tabagent-ml').spec as { scaleTargetRef: { kind: string; name: string } };
    assert.deepEqual([hpa.scaleTargetRef.kind, hpa.scaleTargetRef.name], ['Deployment', 'tabagent-ml']);
  });
});
