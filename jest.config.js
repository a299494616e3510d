/** @type {import("jest").Config} */
module.exports = {
    preset: "ts-jest",
    testEnvironment: "node",
    roots: ["<rootDir>/test"],
    testMatch: ["**/*.test.ts"],
    modulePathIgnorePatterns: ["<rootDir>/dist/"],
    // Inside jest, the serialized providers' `require("pulumi-voip/dist/provider/runtime")` runs the
    // TypeScript source, so lifecycle tests exercise exactly what the engine calls.
    moduleNameMapper: { "^pulumi-voip/dist/provider/(.*)$": "<rootDir>/provider/$1" },
    // The e2e suites each drive the real pulumi CLI; they run in their own workers.
    testTimeout: 120000,
    // scripts/test.sh runs one worker process, not in band: jest keeps a module registry (and a
    // vm context) per test file, and many files load the TypeScript compiler and the Pulumi SDK;
    // in one long-lived process on Node 24 that grew past 13 GB and was killed. A worker above
    // this size after a file is replaced by a fresh one.
    workerIdleMemoryLimit: "1500MB",
};
