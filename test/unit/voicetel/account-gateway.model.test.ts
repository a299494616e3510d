import { checkInputs } from "../../../provider/core/check";
import { diffInputs } from "../../../provider/core/diff";
import { UNKNOWN } from "../../../provider/core/unknowns";
import { describeVoiceTelError } from "../../../provider/vendors/voicetel/client";
import {
    gatewayHostProblem,
    nonPublicIpv4,
    setResolverForTests,
} from "../../../provider/vendors/voicetel/account-gateway/host";
import {
    addRequest,
    fromRoute,
    inputSchema,
    isNumbersNotFound,
    newRoutesFor,
    numbersListRequest,
    parseAddAnswer,
    parseAddConflict,
    parseAddress,
    parseListAnswer,
    parseNumbersAnswer,
    parseRemoveAnswer,
    parseRemoveConflict,
    parseRouteId,
    parseUpdateAnswer,
    parseUpdateConflict,
    removeRequest,
    REPLACE_ON_CHANGES,
    sameAddress,
    SECRET_INPUTS,
    toAddress,
    updateRequest,
    upgradeState,
    VENDOR_DEFAULTED,
} from "../../../provider/vendors/voicetel/account-gateway/model";

// check asks DNS about host names: every name here has a public address.
beforeAll(() => {
    setResolverForTests(() => Promise.resolve(["45.33.10.7"]));
});
afterAll(() => {
    setResolverForTests(undefined);
});

function check(news: Record<string, unknown>) {
    return checkInputs(inputSchema(), news, SECRET_INPUTS);
}

const NEEDS_PUBLIC = "VoiceTel sends calls only to a routable public IPv4 address";

describe("account gateway inputs", () => {
    it("canonicalizes: port 5060 and hostResolvesLater false by default, hostname lower case without trailing dot", async () => {
        expect(await check({ __provider: "x", host: " SIP.Carrier.Example.COM. " })).toEqual({
            inputs: { connection: "default", host: "sip.carrier.example.com", port: 5060, hostResolvesLater: false },
            failures: [],
        });
        expect(await check({ connection: "east", host: "45.33.10.7", port: 5080, hostResolvesLater: true })).toEqual({
            inputs: { connection: "east", host: "45.33.10.7", port: 5080, hostResolvesLater: true },
            failures: [],
        });
    });

    it.each<[string, Record<string, unknown>, string, string]>([
        ["port 0", { port: 0 }, "port", "must be between 1 and 65535"],
        ["port 65536", { port: 65536 }, "port", "must be between 1 and 65535"],
        ["a fractional port", { port: 5060.5 }, "port", "must be a whole number"],
        ["a port given as text", { port: "5060" }, "port", "must be a whole number"],
        ["hostResolvesLater as text", { hostResolvesLater: "yes" }, "hostResolvesLater", "must be true or false"],
        ["an unknown property", { prefix: "9" }, "", "prefix: unknown property"],
        [
            "a connection name that cannot form a config key",
            { connection: "east.1" },
            "connection",
            "must start with a letter and hold only letters, digits, '-' or '_', at most 63 (it names stack config keys voicetel:<connection>.apiKey, ...)",
        ],
        [
            "a sip: scheme",
            { host: "sip:gw.example.com" },
            "host",
            'must be a bare host without a scheme (got "sip:gw.example.com")',
        ],
        [
            "a URL",
            { host: "https://gw.example.com" },
            "host",
            'must be a bare host without a scheme (got "https://gw.example.com")',
        ],
        [
            "a path",
            { host: "gw.example.com/sip" },
            "host",
            'must be a bare host without a path (got "gw.example.com/sip")',
        ],
        ["a CIDR", { host: "45.33.10.0/24" }, "host", 'must be a bare host without a path (got "45.33.10.0/24")'],
        [
            "a port in the host",
            { host: "45.33.10.7:5080" },
            "host",
            'must not carry a port; use the port property (got "45.33.10.7:5080")',
        ],
        ["an empty host", { host: "  " }, "host", "must not be empty"],
        [
            "an invalid name",
            { host: "gw_1.example.com" },
            "host",
            'must be a valid hostname or IP address (got "gw_1.example.com")',
        ],
        [
            "a malformed IPv4 address",
            { host: "45.33.10.256" },
            "host",
            'must be a valid hostname or IP address (got "45.33.10.256")',
        ],
        [
            "IPv4 with leading zeros",
            { host: "045.33.10.7" },
            "host",
            'must be a valid hostname or IP address (got "045.33.10.7")',
        ],
        [
            "IPv6",
            { host: "2001:db8::1" },
            "host",
            'must be an IPv4 address or a hostname: VoiceTel does not route to IPv6 (got "2001:db8::1")',
        ],
        [
            "a single-label name",
            { host: "pbx" },
            "host",
            `"pbx" is a single-label name, which does not resolve on the public Internet; use a fully qualified name (${NEEDS_PUBLIC})`,
        ],
        [
            "localhost",
            { host: "localhost" },
            "host",
            `"localhost" is a single-label name, which does not resolve on the public Internet; use a fully qualified name (${NEEDS_PUBLIC})`,
        ],
        [
            "a .local name",
            { host: "pbx.office.local" },
            "host",
            `"pbx.office.local" is under .local, a special-use domain that never resolves on the public Internet; ${NEEDS_PUBLIC}`,
        ],
        [
            "a .internal name",
            { host: "sbc.internal" },
            "host",
            `"sbc.internal" is under .internal, a special-use domain that never resolves on the public Internet; ${NEEDS_PUBLIC}`,
        ],
        [
            "a .home.arpa name",
            { host: "pbx.home.arpa" },
            "host",
            `"pbx.home.arpa" is under .home.arpa, a special-use domain that never resolves on the public Internet; ${NEEDS_PUBLIC}`,
        ],
        [
            "a .test name",
            { host: "gw.test" },
            "host",
            `"gw.test" is under .test, a special-use domain that never resolves on the public Internet; ${NEEDS_PUBLIC}`,
        ],
        [
            "a private address",
            { host: "10.1.2.3" },
            "host",
            `10.1.2.3 is a private address (10.0.0.0/8, RFC 1918); ${NEEDS_PUBLIC}`,
        ],
        [
            "a 172.16/12 address",
            { host: "172.31.255.255" },
            "host",
            `172.31.255.255 is a private address (172.16.0.0/12, RFC 1918); ${NEEDS_PUBLIC}`,
        ],
        [
            "a 192.168/16 address",
            { host: "192.168.1.10" },
            "host",
            `192.168.1.10 is a private address (192.168.0.0/16, RFC 1918); ${NEEDS_PUBLIC}`,
        ],
        [
            "a loopback address",
            { host: "127.0.0.1" },
            "host",
            `127.0.0.1 is a loopback address (127.0.0.0/8); ${NEEDS_PUBLIC}`,
        ],
        [
            "a link-local address",
            { host: "169.254.10.1" },
            "host",
            `169.254.10.1 is a link-local address (169.254.0.0/16); ${NEEDS_PUBLIC}`,
        ],
        [
            "a CGNAT address",
            { host: "100.64.0.1" },
            "host",
            `100.64.0.1 is a carrier-grade NAT address (100.64.0.0/10, RFC 6598); ${NEEDS_PUBLIC}`,
        ],
        [
            "TEST-NET-1",
            { host: "192.0.2.10" },
            "host",
            `192.0.2.10 is a documentation address (192.0.2.0/24, TEST-NET-1); ${NEEDS_PUBLIC}`,
        ],
        [
            "TEST-NET-2",
            { host: "198.51.100.7" },
            "host",
            `198.51.100.7 is a documentation address (198.51.100.0/24, TEST-NET-2); ${NEEDS_PUBLIC}`,
        ],
        [
            "TEST-NET-3",
            { host: "203.0.113.10" },
            "host",
            `203.0.113.10 is a documentation address (203.0.113.0/24, TEST-NET-3); ${NEEDS_PUBLIC}`,
        ],
        ["0.0.0.0", { host: "0.0.0.0" }, "host", `0.0.0.0 is a "this network" address (0.0.0.0/8); ${NEEDS_PUBLIC}`],
        [
            "a multicast address",
            { host: "224.0.0.5" },
            "host",
            `224.0.0.5 is a multicast address (224.0.0.0/4); ${NEEDS_PUBLIC}`,
        ],
        [
            "the broadcast address",
            { host: "255.255.255.255" },
            "host",
            `255.255.255.255 is the limited broadcast address; ${NEEDS_PUBLIC}`,
        ],
    ])("refuses %s, naming the property", async (_case, patch, property, reason) => {
        expect(await check({ host: "gw.example.com", ...patch })).toEqual({
            inputs: expect.any(Object),
            failures: [{ property, reason }],
        });
    });

    it("requires host", async () => {
        expect((await check({ port: 5060 })).failures).toEqual([{ property: "host", reason: "is required" }]);
    });

    it("lets unknown values through at preview and canonicalizes the known ones", async () => {
        // Defaults of left-out properties are filled even while another value is unknown.
        expect(await check({ host: UNKNOWN, port: 5080 })).toEqual({
            inputs: { connection: "default", host: UNKNOWN, port: 5080, hostResolvesLater: false },
            failures: [],
        });
        expect(await check({ host: "GW.example.com", port: UNKNOWN })).toEqual({
            inputs: { connection: "default", host: "gw.example.com", port: UNKNOWN, hostResolvesLater: false },
            failures: [],
        });
        // A known bad value still fails next to an unknown one.
        expect((await check({ host: "10.0.0.1", port: UNKNOWN })).failures).toEqual([
            { property: "host", reason: `10.0.0.1 is a private address (10.0.0.0/8, RFC 1918); ${NEEDS_PUBLIC}` },
        ]);
    });
});

describe("IPv4 address classes", () => {
    it.each([
        ["9.255.255.255", undefined],
        ["11.0.0.0", undefined],
        ["100.63.255.255", undefined],
        ["100.64.0.0", "a carrier-grade NAT address (100.64.0.0/10, RFC 6598)"],
        ["100.127.255.255", "a carrier-grade NAT address (100.64.0.0/10, RFC 6598)"],
        ["100.128.0.0", undefined],
        ["172.15.255.255", undefined],
        ["172.16.0.0", "a private address (172.16.0.0/12, RFC 1918)"],
        ["172.32.0.0", undefined],
        ["192.0.1.255", undefined],
        ["192.0.0.9", "an IETF protocol assignment (192.0.0.0/24)"],
        ["198.17.255.255", undefined],
        ["198.19.255.255", "a benchmarking address (198.18.0.0/15)"],
        ["198.20.0.0", undefined],
        ["203.0.114.1", undefined],
        ["223.255.255.255", undefined],
        ["239.255.255.255", "a multicast address (224.0.0.0/4)"],
        ["240.0.0.1", "a reserved address (240.0.0.0/4)"],
        ["8.8.8.8", undefined],
    ])("%s → %s", (ip, what) => {
        expect(nonPublicIpv4(ip)).toBe(what);
    });

    it("accepts public addresses and ordinary hostnames", () => {
        expect(gatewayHostProblem("45.33.10.7")).toBeUndefined();
        expect(gatewayHostProblem("sip.example.com")).toBeUndefined();
        expect(gatewayHostProblem("sbc-1.carrier.co.uk")).toBeUndefined();
    });
});

describe("replace rules", () => {
    const rules = {
        inputKeys: Object.keys(inputSchema().shape),
        replaceOnChanges: REPLACE_ON_CHANGES,
        vendorDefaulted: VENDOR_DEFAULTED,
        deleteBeforeReplace: true,
    };
    const olds = {
        connection: "default",
        host: "gw.example.com",
        port: 5060,
        hostResolvesLater: false,
        routeId: 1000,
        address: "gw.example.com:5060",
    };

    it("updates host and port in place: gateways/update changes a route's address", () => {
        const news = { connection: "default", host: "gw2.example.com", port: 5060, hostResolvesLater: false };
        expect(diffInputs(rules, olds, news)).toEqual({
            changes: true,
            replaces: [],
            deleteBeforeReplace: false,
            changed: ["host"],
        });
        expect(diffInputs(rules, olds, { ...olds, port: 5080 }).replaces).toEqual([]);
    });

    it("ignores outputs and sees no change for the same canonical inputs", () => {
        const news = { connection: "default", host: "gw.example.com", port: 5060, hostResolvesLater: false };
        expect(diffInputs(rules, olds, news).changes).toBe(false);
    });

    it("replaces the route when the connection changes: another connection is another account", () => {
        const news = { connection: "east", host: "gw.example.com", port: 5060, hostResolvesLater: false };
        expect(diffInputs(rules, olds, news)).toEqual({
            changes: true,
            replaces: ["connection"],
            deleteBeforeReplace: true,
            changed: ["connection"],
        });
    });

    it("reads state of 0.1 (no connection, versions 0 and 1) as the default connection: no diff", () => {
        const { connection: _none, ...legacy } = olds;
        const news = { connection: "default", host: "gw.example.com", port: 5060, hostResolvesLater: false };
        for (const version of [0, 1]) {
            const upgraded = upgradeState({ ...legacy, stateVersion: version });
            expect(upgraded).toMatchObject({ connection: "default", routeId: 1000 });
            expect(diffInputs(rules, upgraded as unknown as Record<string, unknown>, news).changes).toBe(false);
        }
        expect(upgradeState({ ...olds, connection: "east" }).connection).toBe("east");
    });
});

describe("addresses", () => {
    it("always sends host:port", () => {
        expect(toAddress({ host: "gw.example.com", port: 5060 })).toBe("gw.example.com:5060");
    });

    it.each([
        ["45.33.10.7:5080", { host: "45.33.10.7", port: 5080 }],
        ["45.33.10.7", { host: "45.33.10.7", port: 5060 }],
        ["GW.Example.com.:5061", { host: "gw.example.com", port: 5061 }],
        ["gw.example.com:0", { host: "gw.example.com:0", port: 5060 }],
    ])("reads %s", (address, parsed) => {
        expect(parseAddress(address)).toEqual(parsed);
    });

    it("compares by host and port, a missing port being 5060", () => {
        expect(sameAddress("45.33.10.7", "45.33.10.7:5060")).toBe(true);
        expect(sameAddress("GW.example.com:5060", "gw.example.com")).toBe(true);
        expect(sameAddress("45.33.10.7:5080", "45.33.10.7")).toBe(false);
        expect(sameAddress("45.33.10.7", "45.33.10.8")).toBe(false);
    });

    it("takes resource ids as user route ids only", () => {
        expect(parseRouteId("1000")).toBe(1000);
        expect(parseRouteId("9")).toBe(9);
        expect(parseRouteId("8")).toBeUndefined();
        expect(parseRouteId("4")).toBeUndefined();
        expect(parseRouteId("10a")).toBeUndefined();
        expect(parseRouteId("")).toBeUndefined();
        expect(parseRouteId("-1000")).toBeUndefined();
    });
});

describe("finding the route a create made", () => {
    const address = "45.33.10.7:5060";
    const before = new Set([1, 2, 3, 4, 5, 6, 8, 1000, 1001]);

    it("is the route that was not there before and has the address sent", () => {
        const after = [
            { routeId: 1000, address: "45.33.10.1:5060" },
            { routeId: 1001, address: "45.33.10.2:5060" },
            { routeId: 1002, address },
        ];
        expect(newRoutesFor(address, before, after)).toEqual([{ routeId: 1002, address }]);
    });

    it("ignores a route that already had the address, new routes with other addresses and system routes", () => {
        const after = [
            { routeId: 4, address: "DID" },
            { routeId: 7, address },
            { routeId: 1000, address },
            { routeId: 1003, address: "45.33.10.9:5060" },
        ];
        expect(newRoutesFor(address, before, after)).toEqual([]);
    });

    it("matches the address the way VoiceTel may store it (no port, other case)", () => {
        expect(newRoutesFor("gw.example.com:5060", before, [{ routeId: 1005, address: "GW.example.com" }])).toEqual([
            { routeId: 1005, address: "GW.example.com" },
        ]);
    });

    it("returns every candidate when several appeared (the caller must not pick one)", () => {
        const after = [
            { routeId: 1002, address },
            { routeId: 1003, address },
        ];
        expect(newRoutesFor(address, before, after).map((route) => route.routeId)).toEqual([1002, 1003]);
    });
});

describe("wire mapping", () => {
    it("reads a route back as canonical inputs and outputs, keeping the program's hostResolvesLater", () => {
        expect(
            fromRoute({ routeId: 1002, address: "GW.Example.com" }, { connection: "east", hostResolvesLater: true }),
        ).toEqual({
            inputs: { connection: "east", host: "gw.example.com", port: 5060, hostResolvesLater: true },
            outs: {
                connection: "east",
                host: "gw.example.com",
                port: 5060,
                hostResolvesLater: true,
                routeId: 1002,
                address: "GW.Example.com",
            },
        });
        expect(fromRoute({ routeId: 1002, address: "45.33.10.7:5080" }, {}).inputs).toMatchObject({
            connection: "default",
            hostResolvesLater: false,
        });
    });

    it("builds request bodies with integer route ids", () => {
        expect(addRequest("45.33.10.7:5060")).toEqual({ gateways: [{ gateway: "45.33.10.7:5060" }] });
        expect(updateRequest(1000, "45.33.10.7:5080")).toEqual({
            gateways: [{ route: 1000, gateway: "45.33.10.7:5080" }],
        });
        expect(removeRequest(1000)).toEqual({ routes: [{ route: 1000 }] });
        expect(numbersListRequest(1000)).toEqual({ route: 1000 });
    });

    it("reads list answers: string route ids (integers tolerated), system routes included", () => {
        const body = JSON.stringify({
            statusCode: "200",
            status: "Success",
            gateways: [
                { route: "4", gateway: "DID" },
                { route: "1000", gateway: "45.33.10.7:5060" },
                { route: 1001, gateway: "gw.example.com" },
            ],
        });
        expect(parseListAnswer(body)).toEqual([
            { routeId: 4, address: "DID" },
            { routeId: 1000, address: "45.33.10.7:5060" },
            { routeId: 1001, address: "gw.example.com" },
        ]);
        expect(() => parseListAnswer(JSON.stringify({ gateways: [{ route: "x1", gateway: "a" }] }))).toThrow(
            "must be a decimal route id",
        );
    });

    it("reads add answers by their IP key", () => {
        const body = JSON.stringify({
            statusCode: "200",
            status: "Success",
            message: "Gateways Entered",
            gateways: [{ route: "1000", IP: "45.33.10.7:5060" }],
        });
        expect(parseAddAnswer(body)).toEqual([{ routeId: 1000, address: "45.33.10.7:5060" }]);
    });

    it("reads 409 partial-batch answers of add, update and remove", () => {
        expect(
            parseAddConflict(
                JSON.stringify({
                    statusCode: "409",
                    status: "Error",
                    message: "At least one one gateway could not be added.",
                    added_success: ["45.33.10.7:5060"],
                    added_failed: ["10.0.0.1:5060", "45.33.10.7:5060"],
                }),
            ),
        ).toEqual({
            message: "At least one one gateway could not be added.",
            succeeded: ["45.33.10.7:5060"],
            failed: ["10.0.0.1:5060", "45.33.10.7:5060"],
        });
        expect(
            parseUpdateConflict(
                JSON.stringify({
                    statusCode: "409",
                    status: "Error",
                    message: "Update result",
                    update_success: [{ gateway: "45.33.10.7:5060", route: 1000 }],
                    update_failed: [{ gateway: "45.33.10.8:5060", route: 1001, message: "Invalid number or route" }],
                }),
            ),
        ).toEqual({
            message: "Update result",
            succeeded: [{ routeId: 1000, address: "45.33.10.7:5060" }],
            failed: [{ routeId: 1001, address: "45.33.10.8:5060", message: "Invalid number or route" }],
        });
        expect(
            parseRemoveConflict(
                JSON.stringify({
                    statusCode: "409",
                    status: "Error",
                    message:
                        "At least one one route could not be removed. Please make sure no DID are routed to gateway.",
                    removed_success: [{ route: 1000 }],
                    removed_failed: [{ route: 1001 }],
                }),
            ),
        ).toEqual({
            message: "At least one one route could not be removed. Please make sure no DID are routed to gateway.",
            succeeded: [1000],
            failed: [1001],
        });
        // The batch arrays may be missing or null when nothing succeeded.
        expect(parseAddConflict(JSON.stringify({ message: "m", added_success: null, added_failed: ["x"] }))).toEqual({
            message: "m",
            succeeded: [],
            failed: ["x"],
        });
    });

    it("reads update and remove answers, and numbers answers with the 404 quirk", () => {
        expect(
            parseUpdateAnswer(
                JSON.stringify({
                    message: "Gateway updated",
                    gateways: [{ gateway: "a.example.com:5060", route: 1000 }],
                }),
            ),
        ).toEqual([{ routeId: 1000, address: "a.example.com:5060" }]);
        expect(parseRemoveAnswer(JSON.stringify({ message: "Gateways Removed", routes: [{ route: 1000 }] }))).toEqual([
            1000,
        ]);
        expect(
            parseNumbersAnswer(
                JSON.stringify({ numbers: [{ number: "2015551234", route: "1000", ip: "45.33.10.7:5060" }] }),
            ),
        ).toEqual(["2015551234"]);
        expect(isNumbersNotFound(JSON.stringify({ statusCode: "404", status: "Error", numbers: "Not Found" }))).toBe(
            true,
        );
        expect(isNumbersNotFound(JSON.stringify({ statusCode: "404", status: "Error", message: "Not Found" }))).toBe(
            false,
        );
    });
});

describe("vendor error messages", () => {
    it("shows the vendor's message verbatim", () => {
        expect(
            describeVoiceTelError(400, '{"statusCode":"400","status":"Error","message":"Field Required: apikey"}'),
        ).toEqual({
            message: "Field Required: apikey",
        });
    });

    it("appends what failed in a 409 batch", () => {
        expect(
            describeVoiceTelError(
                409,
                JSON.stringify({
                    statusCode: "409",
                    status: "Error",
                    message: "At least one one gateway could not be added.",
                    added_success: [],
                    added_failed: ["10.0.0.1:5060"],
                }),
            ),
        ).toEqual({ message: 'At least one one gateway could not be added. (not added: "10.0.0.1:5060")' });
        expect(
            describeVoiceTelError(
                409,
                JSON.stringify({
                    message: "Update result",
                    update_success: [],
                    update_failed: [{ gateway: "45.33.10.8:5060", route: 1001, message: "Invalid number or route" }],
                }),
            ),
        ).toEqual({ message: 'Update result (not updated: route 1001 "45.33.10.8:5060": Invalid number or route)' });
        expect(
            describeVoiceTelError(
                409,
                JSON.stringify({
                    message: "At least one one route could not be removed.",
                    removed_failed: [{ route: 1001 }, { route: 1002 }],
                }),
            ),
        ).toEqual({ message: "At least one one route could not be removed. (not removed: route 1001, route 1002)" });
    });

    it("reads the numbers 404 and non-JSON bodies", () => {
        expect(describeVoiceTelError(404, '{"statusCode":"404","status":"Error","numbers":"Not Found"}')).toEqual({
            message: "Not Found",
        });
        expect(describeVoiceTelError(502, "<html>Bad Gateway</html>")).toEqual({ message: "<html>Bad Gateway</html>" });
        expect(describeVoiceTelError(502, "")).toEqual({ message: undefined });
    });
});
