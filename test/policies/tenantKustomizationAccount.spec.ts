import { strict as assert } from "assert";
import { tenantKustomizationAccount } from "../../policy/tenantKustomizationAccount";
import { check, unknownString } from "../kit/policyHarness";
import { kustomization } from "./fixtures";

const policy = [tenantKustomizationAccount];

describe("policy flux2-tenant-kustomization-own-account", () => {
    it("passes a team's Kustomization on its own account and source, and the system one however it is set", async () => {
        assert.deepEqual(await check([
            kustomization("team3"),
            kustomization("team3", { sourceRef: { kind: "GitRepository", name: "gitops-platform", namespace: "team3" } }, "explicit"),
            kustomization("flux-system", { serviceAccountName: undefined, sourceRef: { kind: "GitRepository", name: "x", namespace: "elsewhere" } }),
        ], policy), []);
    });

    it("fails a team's Kustomization that names no account", async () => {
        const found = await check([kustomization("team3", { serviceAccountName: undefined })], policy);
        assert.deepEqual(found, [{
            policy: "flux2-tenant-kustomization-own-account",
            level: "mandatory",
            resource: "kustomization-team3-gitops-platform",
            message: "Kustomization team3/gitops-platform names no spec.serviceAccountName: kustomize-controller then applies " +
                "it as the controllers' default account, not as an account of the team's namespace. Name the team's account.",
        }]);
    });

    it("fails a team's Kustomization on another namespace's source", async () => {
        const found = await check([kustomization("team3", { sourceRef: { kind: "GitRepository", name: "gitops-platform", namespace: "flux-system" } })], policy);
        assert.deepEqual(found.map((v) => v.message), [
            "Kustomization team3/gitops-platform takes its source from namespace flux-system: a tenant's Kustomization reads only " +
            "its own namespace's sources (a cross-namespace reference).",
        ]);
    });

    it("counts an account known only after the update as named, and a Kustomization without a namespace as a tenant's", async () => {
        assert.deepEqual(await check([kustomization("team3", { serviceAccountName: unknownString })], policy), []);
        const bare = kustomization("team3", { serviceAccountName: "" });
        const found = await check([{ ...bare, props: { ...bare.props, metadata: { name: "bare" } } }], policy);
        assert.equal(found.length, 1);
        assert.match(found[0].message, /^Kustomization bare names no spec.serviceAccountName/);
    });
});
