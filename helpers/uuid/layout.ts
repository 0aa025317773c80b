/** RFC 9562 field layout, decoded in TypeScript so the check does not trust the server's own functions. */
export interface UuidFields {
  version: number;
  /** 'rfc9562' for the 10xx variant every v4/v7 UUID carries. */
  variant: 'ncs' | 'rfc9562' | 'microsoft' | 'future';
  /** Unix milliseconds of a version 7 UUID (the first 48 bits). */
  unixMillis: number;
}

export function uuidFields(uuid: string): UuidFields {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`not a UUID: ${uuid}`);
  const variantNibble = Number.parseInt(hex[16]!, 16);
  const variant = variantNibble < 8 ? 'ncs' : variantNibble < 12 ? 'rfc9562' : variantNibble < 14 ? 'microsoft' : 'future';
  return { version: Number.parseInt(hex[12]!, 16), variant, unixMillis: Number.parseInt(hex.slice(0, 12), 16) };
}
