import { Router } from "./router";

describe("simulator router", () => {
    const router = new Router<{ method: string; path: string }, string>(
        [
            { method: "GET", path: "/items", handler: () => "list" },
            { method: "POST", path: "/items", handler: () => "create" },
            { method: "GET", path: /\/items\/(?<id>[^/]+)/, handler: (_req, params) => `show ${params.id ?? "?"}` },
            {
                method: "DELETE",
                path: /\/items\/(?<id>[^/]+)/,
                handler: (_req, params) => `delete ${params.id ?? "?"}`,
            },
        ],
        {
            notFound: (req) => `404 ${req.method} ${req.path}`,
            methodNotAllowed: (_req, allow) => `405 ${allow.join(", ")}`,
        },
    );
    const dispatch = (method: string, path: string): string => router.dispatch({ method, path });

    it("runs the route with that method and path, with its named groups URL-decoded", () => {
        expect(dispatch("GET", "/items")).toBe("list");
        expect(dispatch("POST", "/items")).toBe("create");
        expect(dispatch("GET", "/items/a%2Fb")).toBe("show a/b");
        expect(dispatch("DELETE", "/items/7")).toBe("delete 7");
    });

    it("matches a whole path only", () => {
        expect(dispatch("GET", "/items/")).toBe("404 GET /items/");
        expect(dispatch("GET", "/items/7/extra")).toBe("404 GET /items/7/extra");
        expect(dispatch("GET", "/v2/items/7")).toBe("404 GET /v2/items/7");
    });

    it("answers the vendor's 404 for a badly encoded parameter", () => {
        expect(dispatch("GET", "/items/%ZZ")).toBe("404 GET /items/%ZZ");
    });

    it("answers the vendor's 405 listing the path's methods in table order", () => {
        expect(dispatch("PUT", "/items")).toBe("405 GET, POST");
        expect(dispatch("POST", "/items/7")).toBe("405 GET, DELETE");
    });
});
