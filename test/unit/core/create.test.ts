import { forgetClaims } from "../../../provider/core/claims";
import { createWithoutDuplicates, differingProperties, type CreatePlan } from "../../../provider/core/create";
import { VendorApiError } from "../../../provider/core/errors";

/** A vendor in memory: objects with a name (the natural key) and a host; the create call can lose its answer. */
interface Item {
    id: string;
    name: string;
    host: string;
}

function lostAnswer(): VendorApiError {
    return new VendorApiError({ kind: "Server", vendor: "Acme", operation: "create trunk", object: "t", status: 502 });
}

function listFailure(): VendorApiError {
    return new VendorApiError({ kind: "Server", vendor: "Acme", operation: "list trunks", status: 503 });
}

class FakeVendor {
    items: Item[] = [];
    lookups = 0;
    sends = 0;
    private next = 1;
    /** Outcomes of the next lookups: `fail` throws, anything else answers. */
    lookupScript: ("ok" | "fail")[] = [];
    /** Outcomes of the next sends: `lost` commits and throws, `refused` throws before committing. */
    sendScript: ("ok" | "lost" | "refused")[] = [];

    add(name: string, host: string): Item {
        const item = { id: `id-${this.next++}`, name, host };
        this.items.push(item);
        return item;
    }

    plan(declared: { name: string; host: string }, unique = false): CreatePlan<Item, Item> {
        return {
            vendor: "Acme",
            operation: "create trunk",
            object: declared.name,
            noun: "trunk",
            scope: "pbx-1",
            // Three sends in all.
            tuning: { maxRetries: 2, retryBaseDelayMs: 1 },
            lookup: () => {
                this.lookups += 1;
                if (this.lookupScript.shift() === "fail") return Promise.reject(listFailure());
                return Promise.resolve(this.items.filter((item) => item.name === declared.name));
            },
            idOf: (item) => item.id,
            differences: (item) => differingProperties(declared, { name: item.name, host: item.host }),
            ...(unique ? { conflict: (item: Item, reason: string) => new Error(`${item.id} exists ${reason}`) } : {}),
            send: () => {
                this.sends += 1;
                const outcome = this.sendScript.shift() ?? "ok";
                if (outcome === "refused") return Promise.reject(lostAnswer());
                const item = this.add(declared.name, declared.host);
                return outcome === "lost" ? Promise.reject(lostAnswer()) : Promise.resolve(item);
            },
            adopt: (item) => Promise.resolve(item),
            createdId: (item) => item.id,
        };
    }
}

let vendor: FakeVendor;
let logLines: string[];

beforeEach(() => {
    forgetClaims();
    vendor = new FakeVendor();
    logLines = [];
    jest.spyOn(console, "error").mockImplementation((line: unknown) => {
        logLines.push(String(line));
    });
});
afterEach(() => {
    jest.restoreAllMocks();
});

const DECLARED = { name: "t", host: "h" };

describe("createWithoutDuplicates", () => {
    it("looks up once, then creates", async () => {
        const { id } = await createWithoutDuplicates(vendor.plan(DECLARED));
        expect(vendor.items.map((item) => item.id)).toEqual([id]);
        expect([vendor.lookups, vendor.sends]).toEqual([1, 1]);
    });

    it("adopts an exact leftover without sending, and says so in an info line", async () => {
        const leftover = vendor.add("t", "h");
        const { id } = await createWithoutDuplicates(vendor.plan(DECLARED));
        expect(id).toBe(leftover.id);
        expect(vendor.sends).toBe(0);
        expect(logLines).toEqual([
            `pulumi-voip: Acme: create trunk "t": adopted the existing trunk ${leftover.id}, which matches the declared inputs exactly; it was left by an interrupted or failed create`,
        ]);
    });

    it("fails naming every exact leftover when there are several", async () => {
        vendor.add("t", "h");
        vendor.add("t", "h");
        await expect(createWithoutDuplicates(vendor.plan(DECLARED))).rejects.toThrow(
            'Acme: create trunk "t": trunks id-1, id-2 all match the declared inputs exactly (left by interrupted or failed creates?); remove the extra ones, then run pulumi up again',
        );
        expect(vendor.sends).toBe(0);
    });

    it("ignores a differing object with the key where keys are not unique, and refuses it where they are", async () => {
        vendor.add("t", "other");
        await createWithoutDuplicates(vendor.plan(DECLARED));
        expect(vendor.items).toHaveLength(2);
        forgetClaims();
        const unique = new FakeVendor();
        unique.add("t", "other");
        await expect(createWithoutDuplicates(unique.plan(DECLARED, true))).rejects.toThrow(
            "id-1 exists and differs from the declared inputs in: host",
        );
        expect(unique.sends).toBe(0);
    });

    it("never adopts what another resource of this process created or adopted", async () => {
        const first = await createWithoutDuplicates(vendor.plan(DECLARED));
        const second = await createWithoutDuplicates(vendor.plan(DECLARED));
        expect(second.id).not.toBe(first.id);
        await expect(createWithoutDuplicates(vendor.plan(DECLARED, true))).rejects.toThrow(
            `${first.id} exists and another resource of this program has it`,
        );
    });

    it("adopts what a lost answer created, and sends again when nothing appeared", async () => {
        vendor.sendScript = ["lost"];
        const adopted = await createWithoutDuplicates(vendor.plan(DECLARED));
        expect(vendor.items.map((item) => item.id)).toEqual([adopted.id]);
        expect(vendor.sends).toBe(1);

        forgetClaims();
        const other = new FakeVendor();
        other.sendScript = ["refused"];
        const created = await createWithoutDuplicates(other.plan(DECLARED));
        expect(other.items.map((item) => item.id)).toEqual([created.id]);
        expect(other.sends).toBe(2);
    });

    it("retries the lookup after a lost answer with backoff, and adopts once it answers", async () => {
        vendor.sendScript = ["lost"];
        vendor.lookupScript = ["ok", "fail", "fail"];
        const { id } = await createWithoutDuplicates(vendor.plan(DECLARED));
        expect(vendor.items.map((item) => item.id)).toEqual([id]);
        expect([vendor.lookups, vendor.sends]).toEqual([4, 1]);
    });

    it("says the create may have succeeded when the lookup after a lost answer keeps failing (bounded)", async () => {
        vendor.sendScript = ["lost"];
        vendor.lookupScript = ["ok", "fail", "fail", "fail"];
        await expect(createWithoutDuplicates(vendor.plan(DECLARED))).rejects.toThrow(
            /^Acme: create trunk "t" may have succeeded: its answer was lost \(Acme: create trunk "t" failed \(HTTP 502\).*\); looking for it afterwards failed too: Acme: list trunks failed \(HTTP 503\).*\. Nothing was recorded in the stack\. The next `pulumi up` looks for it again and adopts it if it exists \(or creates it if not\)$/,
        );
        expect([vendor.lookups, vendor.sends]).toEqual([1 + 3, 1]);
        // What the next run does: the leftover is adopted.
        forgetClaims();
        const { id } = await createWithoutDuplicates(vendor.plan(DECLARED));
        expect(vendor.items.map((item) => item.id)).toEqual([id]);
    });
});

describe("differingProperties", () => {
    it("compares canonical JSON on both sides' keys, object key order aside", () => {
        expect(differingProperties({ a: 1, b: { x: 1, y: 2 } }, { b: { y: 2, x: 1 }, a: 1 })).toEqual([]);
        expect(differingProperties({ a: 1, list: ["x", "y"] }, { a: 2, list: ["y", "x"], extra: true })).toEqual([
            "a",
            "extra",
            "list",
        ]);
        expect(differingProperties({ a: undefined }, {})).toEqual([]);
    });
});
