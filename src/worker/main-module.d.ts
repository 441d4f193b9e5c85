// Types `exports` from "cloudflare:workers" (used by the integration tests to
// call the Worker as `exports.default.fetch()`) from this Worker's own module.
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("./index");
  }
}
