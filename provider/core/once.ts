/**
 * A factory that builds its value on first use and returns that same value ever after. Zod
 * schemas are immutable and cost more to build than most checks cost to run (a provider profile,
 * `BENCH_PROFILE=1 npm run bench`, showed schema construction as the largest share of our hooks'
 * CPU), so each is built once per process. Safe for the serialized provider: it captures only the
 * resource type name and loads this code at call time (core/delegate.ts).
 */
export function once<T>(build: () => T): () => T {
    let built: { value: T } | undefined;
    return () => {
        built ??= { value: build() };
        return built.value;
    };
}
