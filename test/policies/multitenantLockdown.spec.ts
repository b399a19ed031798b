import { strict as assert } from "assert";
import { multitenantLockdown } from "../../policy/multitenantLockdown";
import { check, unknownString } from "../kit/policyHarness";
import { fluxInstance } from "./fixtures";

const policy = [multitenantLockdown];

describe("policy flux2-multitenant-lockdown", () => {
    it("passes a FluxInstance locked down with a tenant default account", async () => {
        assert.deepEqual(await check([fluxInstance({ type: "kubernetes", multitenant: true, tenantDefaultServiceAccount: "flux-tenant" })], policy), []);
        assert.deepEqual(await check([fluxInstance({ multitenant: true, tenantDefaultServiceAccount: unknownString })], policy), [],
            "a value known only after the update is checked then");
    });

    it("fails a FluxInstance without the lockdown, or with it off", async () => {
        for (const cluster of [{ tenantDefaultServiceAccount: "flux-tenant" }, { multitenant: false, tenantDefaultServiceAccount: "flux-tenant" }]) {
            const found = await check([fluxInstance(cluster)], policy);
            assert.deepEqual(found, [{
                policy: "flux2-multitenant-lockdown",
                level: "mandatory",
                resource: "flux-instance",
                message: "FluxInstance flux-system/flux does not set spec.cluster.multitenant: true: Flux's controllers then follow " +
                    "cross-namespace references and apply objects that name no account with their own cluster-admin rights.",
            }]);
        }
    });

    it("fails a locked-down FluxInstance that names no tenant default account", async () => {
        const found = await check([fluxInstance({ multitenant: true })], policy);
        assert.deepEqual(found.map((v) => v.message), [
            "FluxInstance flux-system/flux names no spec.cluster.tenantDefaultServiceAccount: the operator then falls back to each " +
            "namespace's `default` account, which every pod of a team runs as.",
        ]);
    });
});
