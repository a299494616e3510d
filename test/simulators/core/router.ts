/**
 * The one request router of every vendor simulator: a vendor declares its API as a table of routes and supplies
 * the two answers it words its own way, "no such path" and "path exists, method does not". Routing order,
 * parameter decoding and the `Allow` list are the same for every vendor, so they live here once.
 */

/** Values of a route's named groups, URL-decoded (e.g. `{ id: "12" }` for `/providers/(?<id>[^/]+)`). */
export type RouteParams = Readonly<Partial<Record<string, string>>>;

/** The part of a request the router reads; a vendor may route a richer request type (e.g. with a parsed format). */
export interface RoutableRequest {
    /** Upper-case HTTP method. */
    method: string;
    /** Path without the query string. */
    path: string;
}

export interface Route<Req extends RoutableRequest, Res> {
    /** Upper-case HTTP method this route answers. */
    method: string;
    /**
     * A string matches the path exactly. A RegExp must match the whole path; its named groups become the handler's
     * params, URL-decoded (a group that does not decode means the route does not match).
     */
    path: string | RegExp;
    handler: (req: Req, params: RouteParams) => Res;
}

/** The vendor's own wording of the router's two refusals; tests assert them byte for byte. */
export interface RouterAnswers<Req extends RoutableRequest, Res> {
    /** No route has this path. */
    notFound: (req: Req) => Res;
    /** Some route has this path, none with this method; `allow` lists their methods in table order. */
    methodNotAllowed: (req: Req, allow: readonly string[]) => Res;
}

export class Router<Req extends RoutableRequest, Res> {
    /**
     * @param routes the vendor's API; no two routes may share both method and path.
     * @param answers the vendor's 404 and 405.
     */
    constructor(
        private readonly routes: readonly Route<Req, Res>[],
        private readonly answers: RouterAnswers<Req, Res>,
    ) {}

    /** Runs the handler of the route for `req`, or the vendor's 404 or 405 when there is none. */
    dispatch(req: Req): Res {
        const allow: string[] = [];
        for (const route of this.routes) {
            const params = matchPath(route.path, req.path);
            if (params === undefined) continue;
            if (route.method === req.method) return route.handler(req, params);
            allow.push(route.method);
        }
        return allow.length === 0 ? this.answers.notFound(req) : this.answers.methodNotAllowed(req, allow);
    }
}

function matchPath(pattern: string | RegExp, path: string): RouteParams | undefined {
    if (typeof pattern === "string") return pattern === path ? {} : undefined;
    const match = pattern.exec(path);
    if (match?.index !== 0 || match[0].length !== path.length) return undefined;
    const params: Record<string, string> = {};
    // An optional group that did not take part in the match is undefined at run time, whatever its type says.
    const groups: Partial<Record<string, string>> = match.groups ?? {};
    for (const [name, raw] of Object.entries(groups)) {
        if (raw === undefined) continue;
        try {
            params[name] = decodeURIComponent(raw);
        } catch {
            return undefined;
        }
    }
    return params;
}
