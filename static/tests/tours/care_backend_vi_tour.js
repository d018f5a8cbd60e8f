import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/*
 * The main backend pages in Vietnamese (issue 11): the user running these tours
 * has vi_VN as language and the module's terms are loaded (tests/test_ui_tour.py).
 * Every step waits for something that only exists once the page rendered with
 * real records; any console error fails the tour.
 */

const TICKET = "Máy giặt không vắt được";
const TEAM = "Tổng đài Hà Nội";

function menu(xmlid) {
    return `.o_menu_sections [data-menu-xmlid='customer_care.${xmlid}']`;
}

function subMenu(parent, xmlid, content) {
    return [
        {
            content: `Open the ${parent} menu`,
            trigger: `${menu(parent)}`,
            run: "click",
        },
        {
            content,
            trigger: `.o-dropdown--menu [data-menu-xmlid='customer_care.${xmlid}']`,
            run: "click",
        },
    ];
}

function openAppAndOverview() {
    return [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open Customer Care (its Vietnamese name on the app menu)",
            trigger:
                ".o_app[data-menu-xmlid='customer_care.customer_care_menu_root']:contains('Chăm sóc khách hàng')",
            run: "click",
        },
        {
            content: "The app opens on the team dashboard",
            trigger: `.o_kanban_dashboard .o_kanban_record:contains('${TEAM}')`,
        },
        {
            content: "Open Overview from its menu",
            trigger: `${menu("care_menu_overview")}:contains('Tổng quan')`,
            run: "click",
        },
        {
            content: "The dashboard card shows the team's counters in Vietnamese",
            trigger: `.o_kanban_dashboard .o_kanban_record:contains('${TEAM}') button[name=action_view_tickets]:contains('Đang mở')`,
        },
        {
            content: "The breadcrumb is in Vietnamese",
            trigger: ".o_breadcrumb:contains('Tổng quan')",
        },
    ];
}

function ticketPages({ extraTab }) {
    const tabs = [
        ["description", "Mô tả", ".o_field_html[name=description]"],
        ["sla", "SLA", ".o_field_one2many[name=sla_line_ids] .o_data_row"],
        ["emotions", "Cảm xúc", ".o_field_one2many[name=emotion_entry_ids] .o_data_row"],
        ["dates", "Ngày", ".o_field_widget[name=reopen_count]"],
    ];
    if (extraTab) {
        tabs.push(["extra", "Bổ sung", ".o_field_widget[name=email_cc]"]);
    }
    return [
        ...subMenu("care_ticket_menu_tickets", "care_ticket_menu_all", "Open All Tickets"),
        {
            content: "The kanban shows the real tickets, grouped by stage",
            trigger: `.o_kanban_renderer:not(.o_view_sample_data) .o_kanban_record:contains('${TICKET}')`,
        },
        {
            content: "Stage columns are in Vietnamese",
            trigger: ".o_kanban_group .o_column_title:contains('Mới')",
        },
        {
            content: "Switch to the list",
            trigger: ".o_cp_switch_buttons .o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The list shows the tickets with Vietnamese column titles",
            trigger: `.o_list_view .o_list_table:has(th[data-name=number]:contains('Số')) .o_data_row:contains('${TICKET}')`,
        },
        {
            content: "Open the ticket",
            trigger: `.o_list_view .o_data_row td[name=name]:contains('${TICKET}')`,
            run: "click",
        },
        {
            content: "The form shows the ticket and its notebook",
            trigger: `.o_form_view .o_notebook:has(.nav-link[name=description])`,
        },
        {
            content: "The statusbar shows the stage in Vietnamese",
            trigger: ".o_form_view .o_statusbar_status button:contains('Mới')",
        },
        ...tabs.flatMap(([name, label, content]) => [
            {
                content: `Open the ${name} tab`,
                trigger: `.o_form_view .o_notebook .nav-link[name=${name}]:contains('${label}')`,
                run: "click",
            },
            {
                content: `The ${name} tab shows its content`,
                trigger: `.o_form_view .o_notebook .nav-link.active[name=${name}]`,
            },
            {
                content: `The ${name} tab content is rendered`,
                trigger: `.o_form_view .o_notebook .tab-pane ${content}`,
            },
        ]),
    ];
}

function emotionJournal() {
    return [
        {
            content: "Open the emotion journal",
            trigger: `${menu("care_emotion_entry_menu")}:contains('Sổ tay cảm xúc khách hàng')`,
            run: "click",
        },
        {
            content: "The journal lists the customer's entry, its emotion in Vietnamese",
            trigger: ".o_list_view .o_data_row:contains('Tức giận')",
        },
        {
            content: "Switch to the graph",
            trigger: ".o_cp_switch_buttons .o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "The graph is drawn",
            trigger: ".o_graph_renderer canvas",
        },
    ];
}

registry.category("web_tour.tours").add("care_backend_vi_manager", {
    url: "/odoo",
    steps: () => [
        ...openAppAndOverview(),
        ...ticketPages({ extraTab: true }),
        ...emotionJournal(),
        ...subMenu("care_menu_reporting", "care_sla_report_menu", "Open SLA Analysis"),
        {
            content: "The SLA pivot has the team's row (real data, not the sample)",
            trigger: `.o_pivot:not(.o_view_sample_data) th:contains('${TEAM}')`,
        },
        {
            content: "The SLA analysis is titled in Vietnamese",
            trigger: ".o_breadcrumb:contains('Phân tích SLA')",
        },
        {
            content: "Switch to the graph",
            trigger: ".o_cp_switch_buttons .o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "The SLA graph is drawn",
            trigger: ".o_graph_renderer canvas",
        },
        ...subMenu("care_menu_reporting", "care_ticket_menu_analysis", "Open Ticket Analysis"),
        {
            content: "The ticket analysis is titled in Vietnamese",
            trigger: ".o_breadcrumb:contains('Phân tích phiếu hỗ trợ')",
        },
        {
            content: "The ticket analysis graph is drawn",
            trigger: ".o_graph_renderer canvas",
        },
        ...subMenu("care_menu_config", "care_team_menu", "Open Configuration > Teams"),
        {
            content: "The teams list shows the team",
            trigger: `.o_list_view .o_data_row:contains('${TEAM}')`,
        },
    ],
});

/*
 * The module's settings: res.config.settings is for Settings administrators
 * (base.group_system), so a care manager who is not one has no Settings menu; the
 * administrator (care manager through the group's user_ids) walks them.
 */
registry.category("web_tour.tours").add("care_backend_vi_settings", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open Customer Care",
            trigger:
                ".o_app[data-menu-xmlid='customer_care.customer_care_menu_root']:contains('Chăm sóc khách hàng')",
            run: "click",
        },
        {
            content: "The app opens on the team dashboard",
            trigger: `.o_kanban_dashboard .o_kanban_record:contains('${TEAM}')`,
        },
        ...subMenu("care_menu_config", "care_menu_settings", "Open the module's settings"),
        {
            content: "The settings open on Customer Care, in Vietnamese",
            trigger: ".app_settings_block[data-key=customer_care] h2:contains('Email đến')",
        },
        {
            content: "The attachment limits setting is shown",
            trigger: "#care_attachment_limits:contains('Giới hạn tệp đính kèm')",
        },
        {
            content: "The reopening setting is shown",
            trigger: "#care_reopen:contains('Mở lại') .o_field_widget[name=care_reopen_days] input",
        },
        {
            content: "The module's tab is selected in the settings side bar",
            trigger: ".settings_tab .tab.selected[data-key=customer_care]",
        },
    ],
});

registry.category("web_tour.tours").add("care_backend_vi_agent", {
    url: "/odoo",
    steps: () => [
        ...openAppAndOverview(),
        {
            content: "An agent has no Configuration menu",
            trigger: `.o_menu_sections:has([data-menu-xmlid='customer_care.care_emotion_entry_menu']):not(:has([data-menu-xmlid='customer_care.care_menu_config']))`,
        },
        {
            content: "Her Reporting menu has the dashboard only (issue 13)",
            trigger: `${menu("care_menu_reporting")}`,
            run: "click",
        },
        {
            content: "No analysis for an agent",
            trigger: `.o-dropdown--menu:has([data-menu-xmlid='customer_care.care_dashboard_menu']):not(:has([data-menu-xmlid='customer_care.care_sla_report_menu']))`,
        },
        {
            content: "Close the Reporting menu",
            trigger: `${menu("care_menu_reporting")}`,
            run: "click",
        },
        ...ticketPages({ extraTab: false }),
        {
            content: "Without debug mode the technical tab is hidden",
            trigger: ".o_form_view .o_notebook:not(:has(.nav-link[name=extra]))",
        },
        ...emotionJournal(),
    ],
});
