/**
 * A correction applied to every SEF that scripts/compile-facturx-sef.mjs exports, for a type
 * inference bug of the SaxonJS 2.7 compiler (xslt3 2.7.0).
 *
 * The bug: in `round(sum(NODES) * xs:decimal(100)) div xs:decimal(100)` (EXTENDED rules
 * BR-FXEXT-CO-10 and the like), `sum()` of untyped nodes is an xs:double at run time (XPath 2.0:
 * untypedAtomic is cast to xs:double), but the compiler types `round(…)` as xs:decimal. It then
 * compiles the `div` with the decimal-only calculator (`calc: "c/c"`) behind a `treat as xs:decimal`
 * of its operand, and the run fails with XPTY0004 ("Required item type of first operand of 'arith'
 * is xs:decimal; supplied value is xs:double"): the whole EXTENDED Schematron could not run.
 *
 * The correction: an arithmetic node whose operand is such a compiler-inserted `treat`
 * (diagnostic `…||arith`) gets the generic calculator (`a/a`, which dispatches on the run-time
 * types as XPath requires) and loses the treat. Where the inference was right the generic
 * calculator gives the same result (decimal op decimal is decimal), so the change is safe for
 * every node it touches. The SEF checksum is then recomputed (SaxonJS checks it on load, so a
 * wrong checksum cannot go unnoticed).
 */

/**
 * @param {any} sef the parsed SEF (changed in place)
 * @returns {number} how many arithmetic nodes were corrected
 */
export function relaxDecimalArithmetic(sef) {
  let corrected = 0;
  const visit = (node) => {
    if (node.N === 'arith' && typeof node.calc === 'string' && node.calc.length === 3 && node.C) {
      const operands = node.C.map((c) =>
        c.N === 'treat' && typeof c.diag === 'string' && c.diag.endsWith('||arith') && c.C?.length === 1
          ? c.C[0]
          : c,
      );
      if (operands.some((c, i) => c !== node.C[i])) {
        node.C = operands;
        node.calc = `a${node.calc[1]}a`;
        corrected++;
      }
    }
    if (node.C) node.C.forEach(visit);
  };
  visit(sef);
  sef['Σ'] = sefChecksum(sef);
  return corrected;
}

/**
 * The checksum SaxonJS 2 verifies on loading a SEF (property `Σ`): the same fold of every node's
 * name and properties, in document order.
 * @param {any} root
 */
export function sefChecksum(root) {
  const fold = (text, seed) => {
    let k = seed << 8;
    for (let i = 0; i < text.length; i++) k = (k << 1) + text.charCodeAt(i);
    return k;
  };
  const pair = (a, b, seed) => fold(a, seed) ^ fold(b, seed);
  const skipped = new Set(['N', 'C', 'ELAB', 'PUSH', 'parentNode', 'Σ']);
  let h = 0;
  let seq = 0;
  const visit = (node) => {
    h ^= pair(node.N, 'http://ns.saxonica.com/xslt/export', seq++);
    for (const key of Object.keys(node)) {
      if (skipped.has(key) || (node.N === 'catch' && key === 'test')) continue;
      h ^= pair(key, '', seq);
      h ^= fold(String(node[key]), seq);
    }
    if (node.C) node.C.forEach(visit);
    h ^= 1;
  };
  visit(root);
  return (h < 0 ? 4294967295 + h + 1 : h).toString(16);
}
