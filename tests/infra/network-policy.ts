import type { K8sObject } from './manifests';

/** A pod (or a stand-in for something outside the namespace) as NetworkPolicies see it. */
export interface Endpoint {
  namespace: string;
  labels: Record<string, string>;
  /** Outside the cluster (a managed database, a model provider): matched only by ipBlock. */
  external?: boolean;
}

type Selector = {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
};
type Peer = {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string; except?: string[] };
};
type Rule = { from?: Peer[]; to?: Peer[]; ports?: Array<{ port?: number | string; protocol?: string }> };

export function selects(selector: Selector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    const inValues = has && (e.values ?? []).includes(labels[e.key] ?? '');
    const ok =
      e.operator === 'In'
        ? inValues
        : e.operator === 'NotIn'
          ? !inValues
          : e.operator === 'Exists'
            ? has
            : e.operator === 'DoesNotExist'
              ? !has
              : false;
    if (!ok) return false;
  }
  return true;
}

/** Pod IPs are private; an ipBlock matches only endpoints outside the cluster. */
function peerMatches(peer: Peer, policyNs: string, who: Endpoint): boolean {
  if (peer.ipBlock) return who.external === true;
  if (who.external) return false;
  const nsLabels = { 'kubernetes.io/metadata.name': who.namespace };
  if (peer.namespaceSelector) {
    if (!selects(peer.namespaceSelector, nsLabels)) return false;
  } else if (who.namespace !== policyNs) return false;
  return selects(peer.podSelector, who.labels);
}

function ruleMatches(rule: Rule, peers: Peer[] | undefined, policyNs: string, who: Endpoint, port: number) {
  const portOk = !rule.ports || rule.ports.some((p) => p.port === undefined || p.port === port);
  const peerOk = !peers || peers.length === 0 || peers.some((p) => peerMatches(p, policyNs, who));
  return portOk && peerOk;
}

/** Whether one direction lets the connection through: allowed unless a policy of that type selects the pod. */
function direction(
  policies: K8sObject[],
  type: 'Ingress' | 'Egress',
  pod: Endpoint,
  other: Endpoint,
  port: number,
): boolean {
  if (pod.external) return true;
  const applying = policies.filter(
    (p) =>
      p.metadata.namespace === pod.namespace &&
      (p.spec.policyTypes ?? ['Ingress']).includes(type) &&
      selects(p.spec.podSelector, pod.labels),
  );
  if (applying.length === 0) return true;
  return applying.some((p) =>
    ((type === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []).some((r: Rule) =>
      ruleMatches(r, type === 'Ingress' ? r.from : r.to, p.metadata.namespace ?? '', other, port),
    ),
  );
}

/** Whether `from` may open a TCP connection to `to` on `port` under these NetworkPolicies. */
export function allowed(policies: K8sObject[], from: Endpoint, to: Endpoint, port: number): boolean {
  return direction(policies, 'Egress', from, to, port) && direction(policies, 'Ingress', to, from, port);
}
