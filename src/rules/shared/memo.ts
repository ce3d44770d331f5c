// Per-params memo: a rule derives lookup structures from its params once, not on every resource.

/**
 * Wraps `derive` so it runs once per params object. The engine resolves params once per policy and passes
 * the same object for every resource, so this costs one WeakMap lookup per check.
 */
export function memoByParams<P extends object, R>(derive: (params: P) => R): (params: P) => R {
  const cache = new WeakMap<P, R>();
  return (params) => {
    let value = cache.get(params);
    if (value === undefined) {
      value = derive(params);
      cache.set(params, value);
    }
    return value;
  };
}
