import { z } from "zod";
import { once } from "../../../core/once";
import { unlessNotFound } from "../../../core/errors";
import { requireIdShape, UUID_SHAPE } from "../../../core/ids";
import { connectionRequest } from "../../../core/connection";
import { VENDOR, type TelecomCenterConnection } from "../client";
import { wireResourceSchema, type WireAttributes, type WireResource } from "./model";

/** One function per endpoint of `/termination_gateways`. No Pulumi types here. */

const COLLECTION = "/termination_gateways";
const PAGE_SIZE = 100;

/** Gateway ids are UUIDs; one from the state is checked before it goes into a path. */
function gatewayPath(id: string, operation: string): string {
    return `${COLLECTION}/${encodeURIComponent(requireIdShape(id, UUID_SHAPE, { vendor: VENDOR, operation }))}`;
}

const singleAnswer = once(() => z.object({ data: wireResourceSchema() }));
const listAnswer = once(() =>
    z.object({
        data: z.array(wireResourceSchema()),
        links: z.object({ next: z.string().optional() }).optional(),
    }),
);

function parseSingle(body: string): WireResource {
    return singleAnswer().parse(JSON.parse(body)).data;
}

export function createGateway(
    connection: TelecomCenterConnection,
    customerId: string,
    attributes: Partial<WireAttributes>,
    label: string,
): Promise<WireResource> {
    return connectionRequest(connection.endpoint, {
        operation: "create termination gateway",
        object: label,
        method: "POST",
        path: COLLECTION,
        params: { include: "customer" },
        body: {
            data: {
                type: "termination_gateways",
                attributes,
                relationships: { customer: { data: { type: "customers", id: customerId } } },
            },
        },
        idempotent: false,
        parse: parseSingle,
    });
}

/** The gateway, or `undefined` when the API says it does not exist. */
export async function getGateway(connection: TelecomCenterConnection, id: string): Promise<WireResource | undefined> {
    const path = gatewayPath(id, "read termination gateway");
    return unlessNotFound(
        connectionRequest(connection.endpoint, {
            operation: "read termination gateway",
            object: id,
            method: "GET",
            path,
            params: { include: "customer" },
            idempotent: true,
            parse: parseSingle,
        }),
        undefined,
    );
}

/**
 * The customer's gateways named exactly `name`. A JSON:API filter value is a comma-separated list
 * of alternatives (`filter[name]=a,b` means a OR b), and a name cannot be escaped: a name with a
 * comma is therefore never put in a filter; the customer's gateways are listed and compared here.
 * The comparison is made for every name, so no filter semantics (case, trimming) can widen it.
 */
export async function listGatewaysNamed(
    connection: TelecomCenterConnection,
    customerId: string,
    name: string,
): Promise<WireResource[]> {
    const filters: Record<string, string> = { "customer.id": customerId };
    if (!name.includes(",")) filters["name"] = name;
    return (await listGateways(connection, filters)).filter((gateway) => gateway.attributes.name === name);
}

/**
 * Every gateway matching the filters, across all pages. A filter value with a comma is an OR of its
 * parts. With `includeCustomer`, each gateway names its customer (listing across customers).
 */
export async function listGateways(
    connection: TelecomCenterConnection,
    filters: Record<string, string>,
    { includeCustomer = false }: { includeCustomer?: boolean } = {},
): Promise<WireResource[]> {
    const all: WireResource[] = [];
    for (let page = 1; ; page++) {
        const params: Record<string, string> = { "page[number]": String(page), "page[size]": String(PAGE_SIZE) };
        if (includeCustomer) params["include"] = "customer";
        for (const [key, value] of Object.entries(filters)) params[`filter[${key}]`] = value;
        const result = await connectionRequest(connection.endpoint, {
            operation: "list termination gateways",
            method: "GET",
            path: COLLECTION,
            params,
            idempotent: true,
            parse: (body) => listAnswer().parse(JSON.parse(body)),
        });
        all.push(...result.data);
        if (result.links?.next === undefined || result.data.length === 0) return all;
    }
}

/** PATCH is partial: only `attributes` change; the relationship cannot. */
export async function updateGateway(
    connection: TelecomCenterConnection,
    id: string,
    attributes: Partial<WireAttributes>,
): Promise<WireResource> {
    const path = gatewayPath(id, "update termination gateway");
    return connectionRequest(connection.endpoint, {
        operation: "update termination gateway",
        object: id,
        method: "PATCH",
        path,
        params: { include: "customer" },
        body: { data: { id, type: "termination_gateways", attributes } },
        // Setting the same attributes twice leaves the same gateway: safe to retry.
        idempotent: true,
        parse: parseSingle,
    });
}

/** Deleting a gateway that is already gone succeeds. Deleting also removes its routes (documented). */
export async function deleteGateway(connection: TelecomCenterConnection, id: string): Promise<void> {
    const path = gatewayPath(id, "delete termination gateway");
    await unlessNotFound(
        connectionRequest(connection.endpoint, {
            operation: "delete termination gateway",
            object: id,
            method: "DELETE",
            path,
            idempotent: true,
            parse: () => undefined,
        }),
        undefined,
    );
}
