import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/*
 * An agent opens Customer Care > Follow-ups, logs the outcome of a call-back
 * with the customer's mood (tests/test_follow_up.py checks the journal entry).
 */
const CUSTOMER = "Nguyễn Văn An";

registry.category("web_tour.tours").add("care_follow_up_log_tour", {
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open Customer Care",
            trigger: ".o_app[data-menu-xmlid='customer_care.customer_care_menu_root']",
            run: "click",
        },
        {
            content: "Open Follow-ups",
            trigger: ".o_menu_sections [data-menu-xmlid='customer_care.care_follow_up_menu']",
            run: "click",
        },
        {
            content: "The agent's call-back is listed with the customer's phone",
            trigger: `.o_list_view .o_data_row:contains('${CUSTOMER}'):has(a[href^='tel:'])`,
        },
        {
            content: "Log its outcome",
            trigger: `.o_list_view .o_data_row:contains('${CUSTOMER}') button[name=action_care_log_outcome]`,
            run: "click",
        },
        {
            content: "The customer was reached",
            trigger: ".modal .o_field_widget[name=outcome] input[data-value=reached]",
            run: "click",
        },
        {
            content: "Write what the customer said",
            trigger: ".modal .o_field_widget[name=notes] textarea",
            run: "edit Khách đã nhận máy, rất hài lòng.",
        },
        {
            content: "The customer was delighted",
            trigger: ".modal .o_field_widget[name=emotion] input[data-value=delighted]",
            run: "click",
        },
        {
            content: "Log",
            trigger: ".modal .o_care_follow_up_log_confirm",
            run: "click",
        },
        {
            content: "The follow-up left the queue",
            trigger: `.o_action_manager:not(:has(.modal)) .o_list_view:not(:has(.o_data_row:contains('${CUSTOMER}')))`,
        },
    ],
});
