import { Component, onWillStart, useState } from "@odoo/owl";
import {
    deserializeDateTime,
    formatDate,
    formatDateTime,
} from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

const PAGE_SIZE = 40;
const ICONS = {
    ticket: "fa-life-ring",
    order: "fa-shopping-cart",
    delivery: "fa-truck",
    invoice: "fa-file-text-o",
    call: "fa-phone",
    emotion: "fa-heartbeat",
};

/**
 * The customer's 360° timeline (Care tab of the partner form): one JSON-RPC
 * per page (res.partner.care_timeline_read), rows newest first, "Load more"
 * for the next page. Every row opens its record.
 */
export class CarePartnerTimeline extends Component {
    static template = "customer_care.CarePartnerTimeline";
    static props = { ...standardWidgetProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.icons = ICONS;
        this.state = useState({ rows: [], counts: {}, hasMore: false, loading: true });
        onWillStart(() => this.load());
    }

    get partnerId() {
        return this.props.record.resId;
    }

    get countBadges() {
        const labels = {
            ticket: _t("Tickets"),
            order: _t("Orders"),
            delivery: _t("Deliveries"),
            invoice: _t("Invoices"),
            call: _t("Calls"),
            emotion: _t("Emotions"),
        };
        return Object.keys(labels)
            .filter((kind) => this.state.counts[kind])
            .map((kind) => ({ kind, label: labels[kind], count: this.state.counts[kind] }));
    }

    async load() {
        if (!this.partnerId) {
            this.state.loading = false;
            return;
        }
        this.state.loading = true;
        const offset = this.state.rows.length;
        const result = await this.orm.call("res.partner", "care_timeline_read", [
            [this.partnerId],
        ], { offset, limit: PAGE_SIZE });
        if (!offset) {
            this.state.counts = result.counts;
        }
        this.state.rows.push(...result.rows);
        this.state.hasMore = result.has_more;
        this.state.loading = false;
    }

    formatRowDate(row) {
        if (!row.date) {
            return "";
        }
        const date = deserializeDateTime(row.date);
        return row.date_only ? formatDate(date) : formatDateTime(date);
    }

    openRow(row) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: row.model,
            res_id: row.id,
            views: [[false, "form"]],
        });
    }
}

registry.category("view_widgets").add("care_partner_timeline", {
    component: CarePartnerTimeline,
});
