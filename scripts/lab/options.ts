/** The lab's command line: --orders, --seed, --checkout-seconds, --clients, --out. */
import path from 'node:path';

export interface Options {
  orders: number;
  seed: number;
  checkoutSeconds: number;
  clients: number[];
  out: string;
}

export function parseOptions(argv: string[]): Options {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  };
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').replace('Z', '');
  const orders = Number((value('orders') ?? '1000000').replace(/_/g, ''));
  if (!Number.isInteger(orders) || orders < 1000) throw new Error(`--orders must be an integer >= 1000, got ${value('orders')}`);
  return {
    orders,
    seed: Number(value('seed') ?? '0.42'),
    checkoutSeconds: Number(value('checkout-seconds') ?? '8'),
    clients: (value('clients') ?? '8,32').split(',').map(Number),
    out: value('out') ?? path.join('reports', 'lab', stamp),
  };
}
