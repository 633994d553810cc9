/**
 * Seeded pseudo-random numbers for the demo data: mulberry32 for uniforms and Box-Muller for
 * normals. The whole state is two numbers, so generators can be copied and resumed exactly
 * (the live feed relies on that). Never use Math.random in lib/.
 */

/** Serializable generator state: the 32-bit mulberry32 counter and a cached normal (NaN = none). */
export interface RngState {
  s: number;
  spare: number;
}

/** FNV-1a hash of a string mixed with a numeric seed, finalised with murmur3 fmix32; derives independent streams. */
export function hashSeed(seed: number, label: string): number {
  let h = 0x811c9dc5;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  for (const word of [seed >>> 0, hi]) {
    for (let k = 0; k < 4; k++) h = Math.imul(h ^ ((word >>> (8 * k)) & 0xff), 16777619);
  }
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 16777619);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A fresh generator state for a 32-bit seed. */
export function rngState(seed: number): RngState {
  return { s: seed >>> 0, spare: Number.NaN };
}

/**
 * A seeded random source. `uniform()` is in [0, 1); `normal()` is standard normal.
 * Constructed from an {@link RngState} object, it advances that object in place (no copy), so
 * explicit-state models can keep the state in plain data.
 */
export class Rng {
  private readonly st: RngState;

  constructor(state: number | RngState) {
    this.st = typeof state === "number" ? rngState(state) : state;
  }

  /** Uniform in [0, 1) (mulberry32). */
  uniform(): number {
    const st = this.st;
    st.s = (st.s + 0x6d2b79f5) >>> 0;
    let t = st.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal (Box-Muller, both values used). */
  normal(): number {
    const st = this.st;
    if (!Number.isNaN(st.spare)) {
      const v = st.spare;
      st.spare = Number.NaN;
      return v;
    }
    let u = this.uniform();
    while (u <= 1e-300) u = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * this.uniform();
    st.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** A copy of the current state; `new Rng(copy)` continues the same stream independently. */
  state(): RngState {
    return { s: this.st.s, spare: this.st.spare };
  }
}
