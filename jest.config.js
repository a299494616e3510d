/** @type {import("jest").Config} */
module.exports = {
    preset: "ts-jest",
    testEnvironment: "node",
    roots: ["<rootDir>/test"],
    testMatch: ["**/*.test.ts"],
    modulePathIgnorePatterns: ["<rootDir>/dist/"],
    // The e2e suites each drive the real pulumi CLI; they run in their own workers.
    testTimeout: 120000,
};
