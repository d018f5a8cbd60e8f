import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { formatFloat } from "@web/core/utils/numbers";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

/**
 * The department's dashboard: the KPIs of care.kpi against the previous
 * period, the daily trend, the moods of the journal, the customers at risk,
 * the overdue follow-ups and the load of each agent. Every figure opens the
 * records it counts (care.kpi.action_open, the same domain as the figure).
 */
export class CareDashboard extends Component {
    static template = "customer_care.CareDashboard";
    static components = { Layout };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ data: null, dateFrom: null, dateTo: null, teamId: false, scope: null });
        this.periods = [
            { key: "7", label: _t("Last 7 days") },
            { key: "30", label: _t("Last 30 days") },
            { key: "90", label: _t("Last 90 days") },
            { key: "month", label: _t("This month") },
            { key: "last_month", label: _t("Last month") },
        ];
        this.state.period = "30";
        onWillStart(() => this.load());
    }

    get filterArgs() {
        return {
            date_from: this.state.dateFrom,
            date_to: this.state.dateTo,
            team_ids: this.state.teamId ? [this.state.teamId] : [],
            scope: this.state.scope,
        };
    }

    async load() {
        // Two calls at once: the figures and the rest are computed side by
        // side (two workers), the page waits for the longer of the two.
        const [cards, details] = await Promise.all(
            ["cards", "details"].map((part) =>
                this.orm.call("care.kpi", "get_dashboard", [], {
                    ...this.filterArgs,
                    parts: [part],
                })
            )
        );
        const data = { ...details, ...cards };
        this.state.data = data;
        this.state.dateFrom = data.date_from;
        this.state.dateTo = data.date_to;
        this.state.scope = data.scope;
        const maxTrend = Math.max(1, ...data.trend.map((d) => Math.max(d.created, d.solved)));
        this.state.maxTrend = maxTrend;
        this.state.maxMood = Math.max(1, ...data.moods.map((m) => m.count));
    }

    async onPeriod(ev) {
        const key = ev.target.value;
        this.state.period = key;
        const today = luxon.DateTime.local();
        let from;
        let to = today;
        if (key === "month") {
            from = today.startOf("month");
        } else if (key === "last_month") {
            from = today.minus({ months: 1 }).startOf("month");
            to = from.endOf("month");
        } else {
            from = today.minus({ days: parseInt(key) - 1 });
        }
        this.state.dateFrom = from.toISODate();
        this.state.dateTo = to.toISODate();
        await this.load();
    }

    async onTeam(ev) {
        this.state.teamId = ev.target.value ? parseInt(ev.target.value) : false;
        await this.load();
    }

    async onScope(scope) {
        this.state.scope = scope;
        await this.load();
    }

    async open(drill, extra = {}) {
        const action = await this.orm.call("care.kpi", "action_open", [drill], {
            ...this.filterArgs,
            ...extra,
        });
        if (action) {
            await this.action.doAction(action);
        }
    }

    openPartner(id) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "res.partner",
            res_id: id,
            views: [[false, "form"]],
        });
    }

    format(card) {
        return this.formatValue(card.value, card.unit);
    }

    formatValue(value, unit) {
        if (value === null || value === undefined || value === false) {
            return "—";
        }
        if (unit === "count") {
            return String(value);
        }
        if (unit === "percent") {
            return `${formatFloat(value, { digits: [false, 1] })} %`;
        }
        if (unit === "score") {
            return formatFloat(value, { digits: [false, 0] });
        }
        return formatFloat(value, { digits: [false, 1] });
    }

    deltaClass(card) {
        if (card.delta === null || card.delta === undefined || !card.better) {
            return "text-muted";
        }
        const good = card.better === "up" ? card.delta >= 0 : card.delta <= 0;
        return good ? "text-success" : "text-danger";
    }

    formatDelta(card) {
        if (card.delta === null || card.delta === undefined) {
            return "";
        }
        const sign = card.delta > 0 ? "+" : "";
        return `${sign}${formatFloat(card.delta, { digits: [false, 0] })} %`;
    }
}

registry.category("actions").add("customer_care.dashboard", CareDashboard);
