/**
 * Wait, from this request, for something another request will finish. The
 * promise is created here (Workers run its continuation in the request that
 * created it), and a timer gives this request an event of its own, so the
 * runtime does not take a request that is only waiting on another for a hung
 * one. After `ms` the wait fails: callers answer 503.
 */
export function waitFor<T>(register: (resolve: (v: T) => void, reject: (e: unknown) => void) => void, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gave up waiting after ${ms} ms`)), ms);
    register(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
