// The test network guard (support/loopback-only.ts, loaded before every test file): a socket to anything but
// loopback is refused before it is opened, so no test can reach a private, link-local or public address.
import net from 'node:net';
import { describe, expect, it } from 'vitest';

describe('test network guard', () => {
  it.each(['169.254.169.254', '10.0.0.1', '93.184.216.34', 'hooks.example.com', '::ffff:a9fe:a9fe', 'fd00::1'])('refuses %s', (host) => {
    expect(() => net.connect({ host, port: 80 })).toThrow(/loopback only/);
    expect(() => new net.Socket().connect(443, host)).toThrow(/loopback only/);
  });

  it('lets loopback through', async () => {
    const server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    for (const host of ['127.0.0.1', 'localhost']) {
      const socket = net.connect({ host, port });
      await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
      socket.destroy();
    }
    await new Promise((resolve) => server.close(resolve));
  });
});
