import { BlockList, isIP } from 'node:net';
import { FAILURE_TYPES } from '../../contract/failureTypes';
import { PipelineError } from '../../contract/pipelineError';

/** A URL whose host is, or resolves to, an address the worker must not reach for a user. */
export class BlockedAddressError extends PipelineError {
  override readonly name = 'BlockedAddressError';
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(FAILURE_TYPES.BlockedAddressError, `${host} is ${host === address ? '' : `resolved to ${address}, `}a private, loopback, link-local or metadata address: refused (allow it with HTTP_ALLOW_HOSTS)`);
  }
}

export class InvalidAllowListEntryError extends PipelineError {
  override readonly name = 'InvalidAllowListEntryError';
  constructor(readonly entry: string) {
    super(FAILURE_TYPES.InvalidAllowListEntryError, `"${entry}" is neither a hostname, an IP address nor a CIDR range (e.g. 10.0.0.0/8)`);
  }
}

type Family = 'ipv4' | 'ipv6';

const familyOf = (address: string): Family => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

/**
 * Addresses a URL from a user may not reach: they belong to this host, its network or its cloud
 * (instance metadata at 169.254.169.254 and fd00:ec2::254, Alibaba's at 100.100.100.200).
 * IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are checked against the IPv4 ranges by BlockList itself.
 */
const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local host
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT (also Alibaba metadata)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback and IPv4-compatible ::a.b.c.d (deprecated, still routed to a.b.c.d by some stacks)
  ['::ffff:0:0:0', 96], // IPv4-translated ::ffff:0:a.b.c.d (SIIT)
  ['100::', 64], // discard-only
  ['2001::', 32], // Teredo: tunnels to an IPv4 address embedded in the address
  ['64:ff9b::', 96], // NAT64: reaches IPv4 through a translator, private ranges included
  ['64:ff9b:1::', 48], // local-use NAT64
  ['2002::', 16], // 6to4: embeds an IPv4 address
  ['fc00::', 7], // unique local (AWS metadata fd00:ec2::254)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still routed by some)
  ['ff00::', 8], // multicast
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv6');
}

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** Hostnames compare without case and without a trailing root dot ("Example.COM." is "example.com"). */
const normalizeHost = (host: string): string => host.toLowerCase().replace(/\.$/, '');

/** Hosts and networks that may be reached even though they are private (`HTTP_ALLOW_HOSTS`). */
export class AllowList {
  private constructor(
    readonly entries: readonly string[],
    private readonly hosts: ReadonlySet<string>,
    private readonly networks: BlockList,
  ) {}

  /** Comma-separated hostnames, IP addresses and CIDR ranges; empty allows nothing extra. */
  static parse(spec: string): AllowList {
    const entries = spec
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    const hosts = new Set<string>();
    const networks = new BlockList();
    for (const entry of entries) {
      const [address, prefix, extra] = entry.split('/');
      if (extra === undefined && prefix !== undefined && isIP(address) !== 0 && /^\d{1,3}$/.test(prefix)) {
        const family = familyOf(address);
        if (Number(prefix) > (family === 'ipv4' ? 32 : 128)) throw new InvalidAllowListEntryError(entry);
        networks.addSubnet(address, Number(prefix), family);
      } else if (prefix === undefined && isIP(address) !== 0) {
        networks.addAddress(address, familyOf(address));
      } else if (prefix === undefined && HOSTNAME.test(normalizeHost(entry))) {
        hosts.add(normalizeHost(entry));
      } else {
        throw new InvalidAllowListEntryError(entry);
      }
    }
    return new AllowList(entries, hosts, networks);
  }

  /** A host named in the list may be reached at whatever it resolves to. */
  allowsHost(host: string): boolean {
    return this.hosts.has(normalizeHost(host));
  }

  allowsAddress(address: string): boolean {
    return this.networks.check(address, familyOf(address));
  }
}

/** Throws BlockedAddressError unless `host`, connecting at `address`, may be reached. */
export function checkAddress(host: string, address: string, allow: AllowList): void {
  if (allow.allowsHost(host) || allow.allowsAddress(address)) return;
  if (BLOCKED.check(address, familyOf(address))) throw new BlockedAddressError(host, address);
}
