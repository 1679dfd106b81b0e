import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import {
  APPS,
  build,
  containers,
  find,
  generated,
  OVERLAYS,
  overlay,
  podSpec,
  ROOT,
  secretKeys,
  tool,
  vaultEnvNames,
  WORKLOADS,
} from './manifests';

const hasKubectl = tool('kubectl');
/** Outside CI without kubectl these are left out (tool() printed why); under CI tool() throws. */
const describeK8s = (title: string, body: () => void) => {
  if (hasKubectl) describe(title, body);
};

// biome-ignore lint/suspicious/noExplicitAny: each model class takes its own manifest type
const MODELS: Record<string, new (o: any) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
};
// Custom resources have no schema in kubernetes-models; the Infisical operator validates its own.
const CUSTOM_KINDS = new Set(['secrets.infisical.com/v1alpha1/InfisicalSecret']);

describe('the Kong configuration Kubernetes ships', () => {
  it('is byte-identical to kong/kong.yml (the source; copy it to kubernetes/base/kong/ after an edit)', () => {
    const source = readFileSync(join(ROOT, 'kong', 'kong.yml'));
    const copy = readFileSync(join(ROOT, 'kubernetes', 'base', 'kong', 'kong.yml'));
    expect(copy.equals(source)).toBe(true);
  });
});

for (const name of OVERLAYS)
  describeK8s(`Kubernetes overlay ${name}`, () => {
    const objects = () => overlay(name);
    const deployments = () => objects().filter((o) => o.kind === 'Deployment');
    const ours = () =>
      deployments().filter((d) => (WORKLOADS as readonly string[]).includes(d.metadata.name));

    it('builds with plain kubectl kustomize, every object valid against its schema', () => {
      const kinds = new Set<string>();
      for (const o of objects()) {
        const key = `${o.apiVersion}/${o.kind}`;
        kinds.add(key);
        if (CUSTOM_KINDS.has(key)) continue;
        const Model = MODELS[key];
        if (!Model) throw new Error(`no schema for ${key} (${o.metadata.name}): add it to MODELS`);
        expect(() => new Model(o).validate()).not.toThrow();
      }
      expect(kinds).toContain('apps/v1/Deployment');
      expect(
        ours()
          .map((d) => d.metadata.name)
          .sort(),
      ).toEqual([...WORKLOADS].sort());
    });

    it('puts everything in one namespace that enforces the restricted Pod Security profile', () => {
      const ns = find(objects(), 'Namespace', 'mcp-langgraph');
      expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
      for (const o of objects().filter((x) => x.kind !== 'Namespace'))
        expect(o.metadata.namespace).toBe('mcp-langgraph');
    });

    it('runs every pod, Kong and the stores included, within the restricted profile', () => {
      for (const d of deployments()) {
        const spec = podSpec(d);
        const who = d.metadata.name;
        expect({ who, ctx: spec.securityContext }).toMatchObject({
          ctx: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        });
        expect({ who, automount: spec.automountServiceAccountToken }).toEqual({ who, automount: false });
        expect(spec.hostNetwork ?? false).toBe(false);
        for (const c of containers(d)) {
          expect({ who, sc: c.securityContext }).toMatchObject({
            sc: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ['ALL'] },
            },
          });
          expect((c.securityContext?.capabilities as { add?: string[] } | undefined)?.add ?? []).toEqual([]);
          expect(c.resources?.requests).toEqual(
            expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }),
          );
          expect(c.resources?.limits).toEqual(
            expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }),
          );
          expect([who, !!c.readinessProbe, !!c.livenessProbe, !!c.startupProbe]).toEqual([
            who,
            true,
            true,
            true,
          ]);
          expect(c.image).toMatch(/:[0-9][\w.-]*$/);
          expect(c.image).not.toMatch(/:latest$/);
          // Every mount of a writable path is an emptyDir (or a read-only ConfigMap).
          const volumes = new Map<string, Record<string, unknown>>(
            (spec.volumes ?? []).map((v: { name: string }) => [v.name, v]),
          );
          for (const m of c.volumeMounts ?? []) {
            const v = volumes.get(m.name);
            expect([who, m.mountPath, !!(v?.emptyDir || v?.configMap)]).toEqual([who, m.mountPath, true]);
          }
        }
      }
    });

    it('gives Kong writable emptyDirs for its prefix and /tmp', () => {
      const kong = find(objects(), 'Deployment', 'kong');
      const mounts = containers(kong)[0]?.volumeMounts?.map((m) => m.mountPath);
      expect(mounts).toEqual(expect.arrayContaining(['/kong_prefix', '/tmp']));
      const env = containers(kong)[0]?.env ?? [];
      expect(env).toEqual(expect.arrayContaining([{ name: 'KONG_PREFIX', value: '/kong_prefix' }]));
    });

    it('gives each workload its own ServiceAccount without a token, PDB and HPA', () => {
      for (const app of WORKLOADS) {
        const sa = find(objects(), 'ServiceAccount', app);
        expect(
          (sa as unknown as { automountServiceAccountToken: boolean }).automountServiceAccountToken,
        ).toBe(false);
        expect(podSpec(find(objects(), 'Deployment', app)).serviceAccountName).toBe(app);
        const pdb = find(objects(), 'PodDisruptionBudget', app);
        expect(pdb.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': app });
        const hpa = find(objects(), 'HorizontalPodAutoscaler', app);
        expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: app });
        expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
        // The HPA owns the replica count; a fixed one would be reset on every apply.
        expect(find(objects(), 'Deployment', app).spec.replicas).toBeUndefined();
      }
    });

    it('lets agent runs finish on shutdown: grace beyond the run timeout, and a preStop hook', () => {
      const config = generated(objects(), 'ConfigMap', 'mcp-langgraph-config')?.data ?? {};
      const runTimeoutS = Number(config.AGENT_RUN_TIMEOUT_MS ?? 100_000) / 1000;
      const edgeTimeoutS = Number(config.AGENT_TIMEOUT_MS ?? 120_000) / 1000;
      const grace = (app: string) =>
        podSpec(find(objects(), 'Deployment', app)).terminationGracePeriodSeconds;
      expect(grace('agent')).toBeGreaterThan(runTimeoutS + 5);
      expect(grace('mcp-edge')).toBeGreaterThan(edgeTimeoutS + 5);
      for (const app of WORKLOADS)
        expect(containers(find(objects(), 'Deployment', app))[0]?.lifecycle?.preStop).toBeDefined();
    });

    it('gives each service only its own Secret: no signing keys or model keys where they are not used', () => {
      for (const app of APPS) {
        const refs = containers(find(objects(), 'Deployment', app)).flatMap((c) =>
          (c.envFrom ?? []).flatMap((e) => (e.secretRef ? [e.secretRef.name] : [])),
        );
        expect(refs.map((r) => r.replace(/-[a-z0-9]{10}$/, ''))).toEqual([`${app}-secrets`]);
      }
      const keys = (app: string) => secretKeys(objects(), app);
      for (const app of ['agent', 'mcp-edge']) expect(keys(app)).not.toContain('AUTH_SIGNING_KEYS');
      for (const app of ['auth', 'mcp-edge'])
        for (const k of keys(app))
          expect(k).not.toMatch(/^(OPENAI|ANTHROPIC|GOOGLE|MISTRAL|AZURE_OPENAI|TAVILY|AWS)_/);
      expect(keys('agent')).not.toContain('EDGE_CLIENT_SECRET');
      expect(keys('auth')).not.toContain('OPENFGA_API_TOKEN');
    });
  });

describeK8s('Kubernetes production overlay', () => {
  const objects = () => overlay('production');

  it('takes every Secret from Infisical, none as a literal', () => {
    expect(objects().filter((o) => o.kind === 'Secret')).toEqual([]);
    for (const app of [...APPS, 'kong']) {
      const s = find(objects(), 'InfisicalSecret', `${app}-secrets`);
      expect(s.spec.managedSecretReference).toMatchObject({
        secretName: `${app}-secrets`,
        secretNamespace: 'mcp-langgraph',
      });
      expect(s.spec.authentication.universalAuth.secretsScope.secretsPath).toBe(`/${app}`);
    }
  });

  it('exposes Kong, and only Kong, through an Ingress with TLS', () => {
    const ingresses = objects().filter((o) => o.kind === 'Ingress');
    expect(ingresses).toHaveLength(1);
    const ing = ingresses[0]!;
    expect(ing.spec.tls[0].hosts).toEqual(['mcp.example.com']);
    const backends = ing.spec.rules.flatMap(
      (r: { http: { paths: Array<{ backend: { service: { name: string } } }> } }) =>
        r.http.paths.map((p) => p.backend.service.name),
    );
    expect(backends).toEqual(['kong']);
    // Nothing else has a public address: ClusterIP, or the ExternalName that points `redis` at the store.
    for (const svc of objects().filter((o) => o.kind === 'Service'))
      expect([svc.metadata.name, svc.spec.type ?? 'ClusterIP']).toEqual([
        svc.metadata.name,
        svc.metadata.name === 'redis' ? 'ExternalName' : 'ClusterIP',
      ]);
  });

  it('pins the service images to a release', () => {
    for (const app of APPS)
      expect(containers(find(objects(), 'Deployment', app))[0]?.image).toBe(
        `ghcr.io/mcp-langgraph/${app}:0.1.0`,
      );
  });
});

describeK8s('Kong in Kubernetes', () => {
  it('gets every variable kong.yml reads through {vault://env/...}', () => {
    const wanted = vaultEnvNames();
    expect(wanted.length).toBeGreaterThan(0);
    for (const name of OVERLAYS) {
      const objects = overlay(name);
      const kong = containers(find(objects, 'Deployment', 'kong'))[0]!;
      const provided = new Set<string>([
        ...(kong.env ?? []).map((e) => e.name),
        ...Object.keys(generated(objects, 'ConfigMap', 'kong-env')?.data ?? {}),
        ...secretKeys(objects, 'kong'),
      ]);
      for (const v of wanted) expect([name, v, provided.has(v)]).toEqual([name, v, true]);
    }
  });
});

describeK8s('Kubernetes base', () => {
  it('builds alone with plain kubectl kustomize', () => {
    expect(build('kubernetes/base').some((o) => o.kind === 'Deployment')).toBe(true);
  });
});
