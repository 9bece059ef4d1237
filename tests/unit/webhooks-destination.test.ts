// Where webhooks may post: the classification of addresses (every odd spelling of an internal address
// included) and the destination check with its allow-list. Pure: the resolver is a table, nothing connects.
import { describe, expect, it } from 'vitest';
import { checkDestination, classifyAddress, parseAllowList, type Resolver } from '../../api/src/access/webhooks.destination.ts';

describe('classifyAddress', () => {
  const cases: [string, string | null][] = [
    // loopback, in the spellings URL parsers and inet_aton accept
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0x7f000001', 'loopback'],
    ['2130706433', 'loopback'],
    ['0177.0.0.1', 'loopback'],
    ['127.1', 'loopback'],
    ['0x7f.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:7f00:1]', 'loopback'],
    // unspecified
    ['0.0.0.0', 'unspecified'],
    ['0', 'unspecified'],
    ['::', 'unspecified'],
    // private, shared (CGNAT), unique local
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['0xc0a80101', 'private'],
    ['::ffff:192.168.1.1', 'private'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:c0a8:101::1', 'private'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.255', 'shared'],
    ['fc00::1', 'unique_local'],
    ['fd12:3456::1', 'unique_local'],
    // link-local and metadata
    ['169.254.1.1', 'link_local'],
    ['fe80::1', 'link_local'],
    ['fe80::1%eth0', 'link_local'],
    ['169.254.169.254', 'metadata'],
    ['0xa9fea9fe', 'metadata'],
    ['2852039166', 'metadata'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    // multicast and broadcast
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    // public: the neighbours of the ranges above
    ['8.8.8.8', null],
    ['1.1.1.1', null],
    ['172.32.0.1', null],
    ['172.15.255.255', null],
    ['100.63.255.255', null],
    ['100.128.0.1', null],
    ['11.0.0.1', null],
    ['169.253.255.255', null],
    ['2606:4700:4700::1111', null],
    ['::ffff:8.8.8.8', null],
    ['fbff::1', null],
    ['fe00::1', null],
  ];
  it.each(cases)('%s → %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it('refuses what is not an IP address', () => {
    expect(() => classifyAddress('localhost')).toThrow();
    expect(() => classifyAddress('1.2.3.4.5')).toThrow();
  });
});

describe('checkDestination', () => {
  const table: Record<string, string[]> = {
    localhost: ['127.0.0.1', '::1'],
    'hooks.example.com': ['93.184.216.34'],
    'mixed.example.com': ['93.184.216.34', '10.1.2.3'],
    'metadata.example.com': ['169.254.169.254'],
    'crm.corp.example': ['10.20.30.40'],
  };
  const resolve: Resolver = async (host) => {
    const found = table[host];
    if (!found) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  const strict = { WEBHOOK_ALLOW_HTTP: false };
  const check = (url: string, settings: { WEBHOOK_ALLOW_HTTP: boolean; WEBHOOK_ALLOWED_HOSTS?: string } = strict) => checkDestination(url, settings, resolve);

  it('accepts https to a public address and returns the checked address to connect to', async () => {
    expect(await check('https://hooks.example.com/in')).toMatchObject({ ok: true, hostname: 'hooks.example.com', address: '93.184.216.34', family: 4 });
  });

  it('refuses http unless switched on, and other schemes always', async () => {
    expect(await check('http://hooks.example.com/in')).toMatchObject({ ok: false, reason: expect.stringContaining('https') });
    expect(await check('http://hooks.example.com/in', { WEBHOOK_ALLOW_HTTP: true })).toMatchObject({ ok: true });
    expect(await check('ftp://hooks.example.com/in', { WEBHOOK_ALLOW_HTTP: true })).toMatchObject({ ok: false });
    expect(await check('https://user:pw@hooks.example.com/in')).toMatchObject({ ok: false });
  });

  it.each([
    'https://127.0.0.1/x',
    'https://[::1]/x',
    'https://0x7f000001/x',
    'https://2130706433/x',
    'https://0177.0.0.1/x',
    'https://127.1/x',
    'https://[::ffff:127.0.0.1]/x',
    'https://169.254.169.254/latest/meta-data/',
    'https://[::ffff:a9fe:a9fe]/x',
    'https://10.0.0.5/x',
    'https://100.64.1.1/x',
    'https://[fd00::1]/x',
    'https://0.0.0.0/x',
    'https://localhost/x',
    'https://LOCALHOST./x',
    'https://mixed.example.com/x',
    'https://metadata.example.com/x',
    'https://does-not-resolve.example/x',
  ])('refuses %s', async (url) => {
    expect(await check(url)).toMatchObject({ ok: false });
  });

  it('lets the allow-list open host names and ranges inside the network, never metadata or unspecified', async () => {
    const onPremise = { WEBHOOK_ALLOW_HTTP: false, WEBHOOK_ALLOWED_HOSTS: 'crm.corp.example, 127.0.0.0/8 fd00::/8' };
    expect(await check('https://crm.corp.example/hook', onPremise)).toMatchObject({ ok: true, address: '10.20.30.40' });
    expect(await check('https://10.20.30.40/hook', onPremise)).toMatchObject({ ok: false });
    expect(await check('https://127.0.0.1:8443/hook', onPremise)).toMatchObject({ ok: true, address: '127.0.0.1' });
    expect(await check('https://0x7f000001/hook', onPremise)).toMatchObject({ ok: true, address: '127.0.0.1' });
    // localhost also resolves to ::1, which the list does not cover.
    expect(await check('https://localhost/hook', onPremise)).toMatchObject({ ok: false });
    expect(await check('https://[fd00::5]/hook', onPremise)).toMatchObject({ ok: true });
    expect(await check('https://169.254.169.254/', { WEBHOOK_ALLOW_HTTP: false, WEBHOOK_ALLOWED_HOSTS: '169.254.0.0/16' })).toMatchObject({ ok: false });
    expect(await check('https://metadata.example.com/', { WEBHOOK_ALLOW_HTTP: false, WEBHOOK_ALLOWED_HOSTS: 'metadata.example.com' })).toMatchObject({
      ok: false,
    });
    expect(await check('https://0.0.0.0/', { WEBHOOK_ALLOW_HTTP: false, WEBHOOK_ALLOWED_HOSTS: '0.0.0.0/0' })).toMatchObject({ ok: false });
  });

  it('parses the allow-list and rejects malformed ranges', () => {
    const list = parseAllowList('Hooks.Corp.Example 10.0.0.0/8,::1');
    expect([...list.hosts]).toEqual(['hooks.corp.example']);
    expect(list.ranges).toHaveLength(2);
    expect(() => parseAllowList('intranet/8')).toThrow();
  });
});
