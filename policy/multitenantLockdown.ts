// The FluxInstance runs Flux locked down for tenants: the operator then starts the controllers
// with --no-cross-namespace-refs and --default-service-account (controlplaneio-fluxcd/flux-operator
// v0.58.1 `internal/builder/profiles.go`, GetProfileMultitenant), so a Flux object that names no
// account, or another namespace's, gets nothing of the controllers' own rights.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { at, known, objectName, stringAt } from "./kubernetes";
import { isFluxInstance } from "./fluxV2";

export const multitenantLockdown: ResourceValidationPolicy = {
    name: "flux2-multitenant-lockdown",
    description: "Every FluxInstance sets spec.cluster.multitenant to true and names a spec.cluster.tenantDefaultServiceAccount.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (!isFluxInstance(args.type)) {
            return;
        }
        const name = objectName(args.props);
        // null when absent; undefined when known only after `pulumi up` (then checked during the update).
        const multitenant = known(() => at(args.props, "spec", "cluster", "multitenant") ?? null);
        if (multitenant !== true && multitenant !== undefined) {
            reportViolation(`FluxInstance ${name} does not set spec.cluster.multitenant: true: Flux's controllers then ` +
                "follow cross-namespace references and apply objects that name no account with their own cluster-admin rights.");
        }
        if (known(() => stringAt(args.props, "spec", "cluster", "tenantDefaultServiceAccount") ?? "") === "") {
            reportViolation(`FluxInstance ${name} names no spec.cluster.tenantDefaultServiceAccount: the operator then ` +
                "falls back to each namespace's `default` account, which every pod of a team runs as.");
        }
    },
};
