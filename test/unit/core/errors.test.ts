import { unlessNotFound, VendorApiError } from "../../../provider/core/errors";
import { bodyExcerpt } from "../../../provider/core/error-body";

function vendorError(kind: "NotFound" | "Server"): VendorApiError {
    return new VendorApiError({
        kind,
        vendor: "Acme",
        operation: "read trunk",
        object: "t1",
        status: kind === "NotFound" ? 404 : 500,
    });
}

describe("unlessNotFound", () => {
    it("passes the answer through", async () => {
        await expect(unlessNotFound(Promise.resolve("trunk"), undefined)).resolves.toBe("trunk");
    });

    it("turns a NotFound into the given value", async () => {
        await expect(unlessNotFound(Promise.reject(vendorError("NotFound")), [])).resolves.toEqual([]);
    });

    it("rethrows every other failure", async () => {
        await expect(unlessNotFound(Promise.reject(vendorError("Server")), undefined)).rejects.toThrow(
            'Acme: read trunk "t1" failed (HTTP 500)',
        );
    });
});

describe("bodyExcerpt", () => {
    it("keeps the first 200 characters of a trimmed body, nothing for an empty one", () => {
        expect(bodyExcerpt("  Bad Gateway \n")).toBe("Bad Gateway");
        expect(bodyExcerpt("x".repeat(300))).toHaveLength(200);
        expect(bodyExcerpt(" \n")).toBeUndefined();
    });
});
