import { BlockList, isIP } from 'node:net';

/**
 * Where a Client ID Metadata Document may be fetched from. Client ids are URLs anyone can choose,
 * so the fetch must not become a way into the networks this server sits in (SSRF).
 */

const v4 = (list: BlockList, ranges: readonly (readonly [string, number])[]) => {
  for (const [net, prefix] of ranges) list.addSubnet(net, prefix, 'ipv4');
  return list;
};
const v6 = (list: BlockList, ranges: readonly (readonly [string, number])[]) => {
  for (const [net, prefix] of ranges) list.addSubnet(net, prefix, 'ipv6');
  return list;
};

/**
 * Refused in every mode, development included: link-local networks, where cloud metadata services
 * answer (169.254.169.254, and fd00:ec2::254 on AWS's IPv6), hand out credentials to whoever asks.
 * BlockList also matches the IPv4-mapped spellings (`::ffff:169.254.169.254`) against the IPv4 rules.
 */
const ALWAYS = v6(v4(new BlockList(), [['169.254.0.0', 16]]), [
  ['fe80::', 10],
  ['fd00:ec2::254', 128],
]);

/** Refused outside development: every IPv4 range that is not the public internet. */
const PRIVATE_V4 = v4(new BlockList(), [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
]);

/**
 * Refused outside development: IPv6 that is not the public internet, and every form that embeds
 * an IPv4 address (compatible `::/96`, mapped `::ffff:0:0/96`, NAT64, 6to4, Teredo), since what
 * it reaches is decided by the embedded address. Kept apart from the IPv4 list: BlockList would
 * otherwise match `::ffff:0:0/96` against every IPv4 address.
 */
const PRIVATE_V6 = v6(new BlockList(), [
  ['::', 96],
  ['::ffff:0:0', 96],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 32],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['3fff::', 20],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
]);

const bare = (address: string) => address.replace(/^\[|\]$/g, '');

/** Whether an address is link-local or a cloud metadata address: never fetched from, in any mode. */
export function isAlwaysRefusedAddress(address: string): boolean {
  const a = bare(address);
  const family = isIP(a);
  if (family === 0) return true;
  return ALWAYS.check(a, family === 4 ? 'ipv4' : 'ipv6');
}

/** Whether an address is loopback, private, link-local, reserved or otherwise not on the public internet. */
export function isPrivateAddress(address: string): boolean {
  const a = bare(address);
  const family = isIP(a);
  if (family === 0) return true;
  return family === 4 ? PRIVATE_V4.check(a, 'ipv4') : PRIVATE_V6.check(a, 'ipv6');
}

/** Why a document may not be fetched from `address`, or undefined when it may. */
export function addressRefusal(address: string, allowPrivate: boolean): string | undefined {
  if (isAlwaysRefusedAddress(address)) return 'a link-local or metadata address';
  if (!allowPrivate && isPrivateAddress(address)) return 'a private address';
  return undefined;
}
