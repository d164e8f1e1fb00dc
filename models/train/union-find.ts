// Disjoint sets with path halving and union by size: groups photos that must stay on one side of the split.
export class UnionFind {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;

  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
    this.size = new Int32Array(n).fill(1);
  }

  find(i: number): number {
    let x = i;
    while (this.parent[x] !== x) {
      this.parent[x] = this.parent[this.parent[x]!]!;
      x = this.parent[x]!;
    }
    return x;
  }

  union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if (this.size[ra]! < this.size[rb]!) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra]! += this.size[rb]!;
  }

  /** Group id (0..k-1, in order of first appearance) for every element. */
  groups(): Int32Array {
    const ids = new Map<number, number>();
    const out = new Int32Array(this.parent.length);
    for (let i = 0; i < out.length; i++) {
      const r = this.find(i);
      if (!ids.has(r)) ids.set(r, ids.size);
      out[i] = ids.get(r)!;
    }
    return out;
  }
}
