import { containers, type K8sObject, OVERLAYS, overlay, tool } from './manifests';
import { allowed, type Endpoint } from './network-policy';

const NS = 'mcp-langgraph';
const pod = (name: string): Endpoint => ({ namespace: NS, labels: { 'app.kubernetes.io/name': name } });
const prometheus: Endpoint = { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } };
const elsewhere: Endpoint = { namespace: 'other', labels: { 'app.kubernetes.io/name': 'intruder' } };
const dns: Endpoint = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
const internet: Endpoint = { namespace: '', labels: {}, external: true };

/** The only connections between pods of the namespace, per overlay (dev adds its throwaway stores). */
const EXPECTED: Record<string, string[]> = {
  production: [
    'agent -> auth:4001',
    'kong -> auth:4001',
    'kong -> mcp-edge:4000',
    'mcp-edge -> agent:4002',
    'mcp-edge -> auth:4001',
  ],
};
EXPECTED.dev = [
  ...(EXPECTED.production ?? []),
  'agent -> postgres:5432',
  'auth -> postgres:5432',
  'kong -> redis:6379',
  'mcp-edge -> postgres:5432',
  'mcp-edge -> redis:6379',
].sort();

if (tool('kubectl'))
  describe.each(OVERLAYS)('network policies of the %s overlay', (name) => {
    const objects = () => overlay(name);
    const policies = () => objects().filter((o) => o.kind === 'NetworkPolicy');
    const pods = () =>
      objects()
        .filter((o) => o.kind === 'Deployment')
        .map((d: K8sObject) => ({
          name: d.metadata.name,
          ports: containers(d).flatMap((c) => (c.ports ?? []).map((p) => p.containerPort)),
        }));

    it('deny everything by default, in both directions', () => {
      const deny = policies().find(
        (p) => Object.keys(p.spec.podSelector).length === 0 && !p.spec.ingress && !p.spec.egress,
      );
      expect(deny?.spec.policyTypes?.sort()).toEqual(['Egress', 'Ingress']);
    });

    it('allow exactly the documented connections inside the namespace', () => {
      const open: string[] = [];
      for (const from of pods())
        for (const to of pods())
          for (const port of to.ports)
            if (from.name !== to.name && allowed(policies(), pod(from.name), pod(to.name), port))
              open.push(`${from.name} -> ${to.name}:${port}`);
      expect(open.sort()).toEqual(EXPECTED[name]);
    });

    it('open every ops port to Prometheus, and from other namespaces nothing but Kong’s proxy', () => {
      for (const app of ['auth', 'agent', 'mcp-edge']) {
        expect([app, allowed(policies(), prometheus, pod(app), 9464)]).toEqual([app, true]);
        expect([app, allowed(policies(), elsewhere, pod(app), 9464)]).toEqual([app, false]);
      }
      expect(allowed(policies(), prometheus, pod('kong'), 8100)).toBe(true);
      expect(allowed(policies(), elsewhere, pod('kong'), 8100)).toBe(false);
      const reachable = pods().flatMap((to) =>
        to.ports
          .filter((port) => allowed(policies(), elsewhere, pod(to.name), port))
          .map((p) => `${to.name}:${p}`),
      );
      expect(reachable).toEqual(['kong:8000']);
    });

    it('let the services reach their stores, the collector and DNS, and only the agent the internet', () => {
      const out = (from: string, port: number) => allowed(policies(), pod(from), internet, port);
      for (const app of ['auth', 'agent', 'mcp-edge']) {
        expect([app, out(app, 5432), out(app, 4318)]).toEqual([app, true, true]);
        expect([app, allowed(policies(), pod(app), dns, 53)]).toEqual([app, true]);
      }
      expect([out('mcp-edge', 6379), out('kong', 6379), out('auth', 6379)]).toEqual([true, true, false]);
      expect([out('agent', 8080), out('mcp-edge', 8080), out('auth', 8080)]).toEqual([true, true, false]);
      expect([out('agent', 443), out('mcp-edge', 443), out('auth', 443), out('kong', 443)]).toEqual([
        true,
        false,
        false,
        false,
      ]);
    });
  });
