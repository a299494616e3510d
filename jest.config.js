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
};
