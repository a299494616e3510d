import { isUnknown } from "../core/unknowns";
import { connectionOf, nameFromUrn, trunkKind } from "../policy/trunks";

/**
 * The pull-request summary of a `pulumi preview --json` document: per vendor and connection, what
 * is created, updated (old → new, secrets masked), replaced (an outage, with the properties that
 * force it) and deleted; the policy violations of the same preview; totals. Markdown, stable for
 * the same input (no times, no ids) so a CI job can update one comment in place.
 */

/** A resource state as `pulumi preview --json` prints it. */
export interface PreviewState {
    type?: string;
    inputs?: Record<string, unknown>;
}

/** One step of `pulumi preview --json`. */
export interface PreviewStep {
    op: string;
    urn: string;
    oldState?: PreviewState;
    newState?: PreviewState;
    replaceReasons?: string[];
}

/** The parts of `pulumi preview --json` the summary reads. */
export interface PreviewDocument {
    steps?: PreviewStep[];
}

/** A policy event of the engine's event log (`pulumi preview --event-log`). */
export interface PolicyViolation {
    resourceUrn?: string;
    message: string;
    policyName: string;
    policyPackName: string;
    enforcementLevel: string;
}

type Change = "replace" | "create" | "update" | "delete";

const CHANGES: readonly Change[] = ["replace", "create", "update", "delete"];

const CHANGE_LABELS: Readonly<Record<Change, string>> = {
    replace: "**replace (outage)**",
    create: "create",
    update: "update",
    delete: "delete",
};

// Steps that are the halves of a replacement the `replace` step already stands for, or no change.
const CHANGE_OF_OP: Readonly<Record<string, Change>> = {
    create: "create",
    import: "create",
    update: "update",
    replace: "replace",
    delete: "delete",
};

interface Row {
    change: Change;
    name: string;
    details: string[];
    /** Secret inputs set before and after, whose change the masked JSON cannot show. */
    maskedSecrets: string[];
}

interface Group {
    title: string;
    rows: Row[];
}

const SECRET_MASK = "[secret]";

function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function code(text: string): string {
    const fence = text.includes("`") ? "``" : "`";
    return `${fence}${text}${fence}`;
}

function shown(value: unknown, secret: boolean): string {
    if (value === undefined) return "(not set)";
    if (secret || value === SECRET_MASK) return SECRET_MASK;
    if (isUnknown(value)) return "(known after update)";
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function sameJson(a: unknown, b: unknown): boolean {
    return JSON.stringify(a) === JSON.stringify(b);
}

/** Input keys whose values differ, engine-internal keys (`__provider`) left out, sorted. */
export function changedInputs(olds: Record<string, unknown> = {}, news: Record<string, unknown> = {}): string[] {
    return [...new Set([...Object.keys(olds), ...Object.keys(news)])]
        .filter((key) => !key.startsWith("__") && !sameJson(olds[key], news[key]))
        .sort();
}

function rowOf(step: PreviewStep, change: Change): Row {
    const type = step.newState?.type ?? step.oldState?.type ?? "";
    const kind = trunkKind(type);
    const olds = step.oldState?.inputs;
    const news = step.newState?.inputs;
    const describe = (key: string): string => {
        const secret = kind?.secretInputs.includes(key) ?? false;
        return `${code(key)}: ${code(shown(olds?.[key], secret))} → ${code(shown(news?.[key], secret))}`;
    };
    const details: string[] = [];
    if (change === "update" || change === "replace") {
        const keys = changedInputs(olds, news);
        const reasons = step.replaceReasons ?? [];
        const forcing =
            change === "replace"
                ? keys.filter((key) => reasons.includes(key) || (kind?.replaceOnChanges.includes(key) ?? false))
                : [];
        if (forcing.length > 0) details.push(`forced by ${forcing.map(describe).join(", ")}`);
        details.push(...keys.filter((key) => !forcing.includes(key)).map(describe));
    }
    const maskedSecrets =
        change === "update" || change === "replace"
            ? (kind?.secretInputs ?? []).filter((key) => olds?.[key] !== undefined && news?.[key] !== undefined)
            : [];
    return { change, name: nameFromUrn(step.urn), details, maskedSecrets };
}

function groupTitle(step: PreviewStep): string | undefined {
    const type = step.newState?.type ?? step.oldState?.type ?? "";
    if (type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:")) return undefined;
    const kind = trunkKind(type);
    if (kind === undefined) return `Other resources (${code(type)})`;
    const connection = connectionOf(step.newState?.inputs ?? step.oldState?.inputs);
    return `${kind.vendor} ${kind.noun}s, connection ${code(connection)}`;
}

function groupsOf(steps: readonly PreviewStep[]): Group[] {
    const groups = new Map<string, Row[]>();
    for (const step of steps) {
        const change = CHANGE_OF_OP[step.op];
        const title = groupTitle(step);
        if (change === undefined || title === undefined) continue;
        const rows = groups.get(title) ?? [];
        rows.push(rowOf(step, change));
        groups.set(title, rows);
    }
    const order = (row: Row): number => CHANGES.indexOf(row.change);
    return [...groups.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([title, rows]) => ({
            title,
            rows: rows.sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name)),
        }));
}

/** The violation's own message: the event carries the policy's description on its first line. */
function violationMessage(violation: PolicyViolation): string {
    const [, ...rest] = violation.message.trim().split("\n");
    const message = rest.join(" ").trim();
    return message === "" ? violation.message.trim() : message;
}

function plural(count: number, one: string, many = `${one}s`): string {
    return `${count} ${count === 1 ? one : many}`;
}

/** The policy events of an engine event log (JSON lines, as `pulumi preview --event-log` writes it). */
export function policyViolationsOfEventLog(text: string): PolicyViolation[] {
    return text
        .split("\n")
        .filter((line) => line.trim() !== "")
        .flatMap((line) => {
            const event = JSON.parse(line) as { policyEvent?: PolicyViolation };
            return event.policyEvent === undefined ? [] : [event.policyEvent];
        });
}

/** The Markdown summary of a preview and its policy violations. */
export function reviewSummary(preview: PreviewDocument, violations: readonly PolicyViolation[] = []): string {
    const groups = groupsOf(preview.steps ?? []);
    const counts = new Map<Change, number>(CHANGES.map((change) => [change, 0]));
    for (const row of groups.flatMap((group) => group.rows)) counts.set(row.change, (counts.get(row.change) ?? 0) + 1);
    const mandatory = violations.filter((violation) => violation.enforcementLevel === "mandatory").length;

    const totals = [
        `${counts.get("replace") ?? 0} to replace (outage)`,
        `${counts.get("create") ?? 0} to create`,
        `${counts.get("update") ?? 0} to update`,
        `${counts.get("delete") ?? 0} to delete`,
        `${plural(violations.length, "policy violation")} (${mandatory} mandatory)`,
    ];
    const lines = ["### Trunk changes", "", `**Totals:** ${totals.join(" · ")}`, ""];
    if (groups.length === 0) lines.push("No changes.", "");
    for (const group of groups) {
        lines.push(`#### ${group.title}`, "", "| Change | Name | Details |", "| --- | --- | --- |");
        for (const row of group.rows) {
            lines.push(`| ${CHANGE_LABELS[row.change]} | ${code(row.name)} | ${cell(row.details.join("<br>"))} |`);
        }
        lines.push("");
    }
    const masked = [...new Set(groups.flatMap((group) => group.rows.flatMap((row) => row.maskedSecrets)))].sort();
    if (masked.length > 0) {
        lines.push(
            `Secret inputs (${masked.map(code).join(", ")}) are masked in the preview, changed or not: ` +
                `the \`credential-change\` policy reports their changes.`,
            "",
        );
    }
    if (violations.length > 0) {
        lines.push(
            "#### Policy violations",
            "",
            "| Level | Policy | Resource | Message |",
            "| --- | --- | --- | --- |",
        );
        const sorted = [...violations].sort(
            (a, b) =>
                (a.enforcementLevel === "mandatory" ? 0 : 1) - (b.enforcementLevel === "mandatory" ? 0 : 1) ||
                a.policyName.localeCompare(b.policyName) ||
                (a.resourceUrn ?? "").localeCompare(b.resourceUrn ?? ""),
        );
        for (const violation of sorted) {
            const resource = violation.resourceUrn === undefined ? "(stack)" : code(nameFromUrn(violation.resourceUrn));
            lines.push(
                `| ${violation.enforcementLevel} | ${code(violation.policyName)} | ${resource} | ${cell(violationMessage(violation))} |`,
            );
        }
        lines.push("");
    }
    return lines.join("\n");
}
