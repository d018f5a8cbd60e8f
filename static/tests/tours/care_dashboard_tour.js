import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/*
 * Issue 13: a manager opens the dashboard from Customer Care > Reporting and
 * clicks a figure down to the tickets it counts (tests/test_kpi_ui.py).
 */
registry.category("web_tour.tours").add("care_dashboard_manager", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open Customer Care",
            trigger: ".o_app[data-menu-xmlid='customer_care.customer_care_menu_root']",
            run: "click",
        },
        {
            content: "Open the Reporting menu",
            trigger: ".o_menu_sections [data-menu-xmlid='customer_care.care_menu_reporting']",
            run: "click",
        },
        {
            content: "Open the dashboard",
            trigger: ".o-dropdown--menu [data-menu-xmlid='customer_care.care_dashboard_menu']",
            run: "click",
        },
        {
            content: "The dashboard shows the new tickets of the period (3)",
            trigger: ".o_care_kpi[data-kpi=created] .o_care_kpi_value:contains('3')",
        },
        {
            content: "The load per agent lists the agent",
            trigger: ".o_care_agents td:contains('Nguyễn Thị Lan')",
        },
        {
            content: "Click the number of new tickets",
            trigger: ".o_care_kpi[data-kpi=created]",
            run: "click",
        },
        {
            content: "The tickets it counts are listed",
            trigger: ".o_list_view .o_data_row:contains('Máy giặt không vắt được')",
        },
        {
            content: "The three of them",
            trigger: ".o_list_view .o_data_row:eq(2)",
        },
    ],
});
