import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = join(__dirname, '..', '..');

/** The overlays that must build with plain `kubectl kustomize` (no load restrictor). */
export const OVERLAYS = ['dev', 'production'] as const;
export type Overlay = (typeof OVERLAYS)[number];

/** The project's workloads: each has its own ServiceAccount, Secret, PDB and HPA. */
export const APPS = ['auth', 'agent', 'mcp-edge'] as const;
export const WORKLOADS = [...APPS, 'kong'] as const;

/** Whether a validation tool is installed; missing fails under CI=true, and is reported as skipped elsewhere. */
export function tool(name: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
  if (!found && process.env.CI === 'true')
    throw new Error(`${name} is not installed; .ci/run must install it`);
  if (!found) process.stderr.write(`skipping ${name} validation: ${name} is not installed\n`);
  return found;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are checked field by field in the tests
  spec?: any;
  data?: Record<string, string>;
}

export interface Container {
  name: string;
  image: string;
  env?: Array<{ name: string; value?: string; valueFrom?: unknown }>;
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  ports?: Array<{ name?: string; containerPort: number }>;
  securityContext?: Record<string, unknown>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  readinessProbe?: unknown;
  livenessProbe?: unknown;
  startupProbe?: unknown;
  lifecycle?: { preStop?: unknown };
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}

const cache = new Map<string, K8sObject[]>();

/** `kubectl kustomize <dir>` parsed into objects (cached per directory for the run). */
export function build(dir: string): K8sObject[] {
  const hit = cache.get(dir);
  if (hit) return hit;
  const out = execFileSync('kubectl', ['kustomize', join(ROOT, dir)], { encoding: 'utf8' });
  const objects = parseAllDocuments(out).map((d) => d.toJSON() as K8sObject);
  cache.set(dir, objects);
  return objects;
}

export const overlay = (name: Overlay) => build(`kubernetes/overlays/${name}`);

export function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name}`);
  return o;
}

/** A ConfigMap or Secret by the name the manifests use (kustomize adds a hash suffix to generated ones). */
export function generated(objects: K8sObject[], kind: string, name: string): K8sObject | undefined {
  return objects.find(
    (x) =>
      x.kind === kind &&
      (x.metadata.name === name || new RegExp(`^${name}-[a-z0-9]{10}$`).test(x.metadata.name)),
  );
}

export const podSpec = (deployment: K8sObject) => deployment.spec.template.spec;
export const containers = (deployment: K8sObject): Container[] => podSpec(deployment).containers;

/** The keys of a service's Secret: literal in dev, the annotated list of its Infisical folder in production. */
export function secretKeys(objects: K8sObject[], app: string): string[] {
  const literal = generated(objects, 'Secret', `${app}-secrets`);
  if (literal) return Object.keys(literal.data ?? {});
  const synced = find(objects, 'InfisicalSecret', `${app}-secrets`);
  return (synced.metadata.annotations?.['mcp-langgraph.dev/keys'] ?? '').split(',').filter(Boolean);
}

/** The environment variables kong/kong.yml reads through Kong's env vault (`{vault://env/gateway-secret}` is GATEWAY_SECRET). */
export function vaultEnvNames(): string[] {
  const text = readFileSync(join(ROOT, 'kong', 'kong.yml'), 'utf8');
  const names = [...text.matchAll(/\{vault:\/\/env\/([a-z0-9_-]+)\}/gi)].map((m) =>
    (m[1] ?? '').toUpperCase().replaceAll('-', '_'),
  );
  return [...new Set(names)].sort();
}
