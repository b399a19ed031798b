// The policy pack `pulumi preview --policy-pack policy` runs; the policies live in policies.ts.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("gitops-platform", { policies, enforcementLevel: "mandatory" });
