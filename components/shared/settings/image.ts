import { Rule } from "./fields";

/** A container image reference: one word, as a container runtime takes it. */
export const imageReference: Rule<string> = (value) =>
    /^[^\s]+$/.test(value) ? undefined : "is not a container image reference";
