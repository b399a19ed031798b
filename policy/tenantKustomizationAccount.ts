// A tenant's Kustomization applies as an account of its own namespace and reads its own
// namespace's source: what the Flux multi-tenancy lockdown relies on (fluxcd/website
// `flux/installation/configuration/multitenancy.md`), said in the program's objects themselves,
// not left to the controllers' defaults.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { known, objectName, stringAt } from "./kubernetes";
import { isKustomization, isTenantKustomization, namespaceOf } from "./fluxV2";
import { systemNamespace } from "./platform";

export const tenantKustomizationAccount: ResourceValidationPolicy = {
    name: "flux2-tenant-kustomization-own-account",
    description: `Every Flux Kustomization outside ${systemNamespace} names the ServiceAccount it impersonates ` +
        "(spec.serviceAccountName, an account of its own namespace) and takes its source from its own namespace " +
        "(no spec.sourceRef.namespace, or its own).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (!isKustomization(args.type) || !isTenantKustomization(args.props)) {
            return;
        }
        const name = objectName(args.props);
        // Unknown until `pulumi up` counts as set: the value is an output of the program.
        const account = known(() => stringAt(args.props, "spec", "serviceAccountName") ?? "");
        if (account === "") {
            reportViolation(`Kustomization ${name} names no spec.serviceAccountName: kustomize-controller then applies ` +
                "it as the controllers' default account, not as an account of the team's namespace. Name the team's account.");
        }
        const sourceNamespace = known(() => stringAt(args.props, "spec", "sourceRef", "namespace"));
        const own = namespaceOf(args.props);
        if (typeof sourceNamespace === "string" && (typeof own !== "string" || sourceNamespace !== own)) {
            reportViolation(`Kustomization ${name} takes its source from namespace ${sourceNamespace}: a tenant's ` +
                "Kustomization reads only its own namespace's sources (a cross-namespace reference).");
        }
    },
};
