import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/*
 * Issue 15: a care manager builds a customer segment and sends a mailing to it
 * (tests/test_segment_plan.py, TestSegmentTour).
 */
registry.category("web_tour.tours").add("care_segment_mailing", {
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open Customer Care",
            trigger: ".o_app[data-menu-xmlid='customer_care.customer_care_menu_root']",
            run: "click",
        },
        {
            content: "Open the Customers menu",
            trigger: ".o_menu_sections [data-menu-xmlid='customer_care.care_menu_customers']",
            run: "click",
        },
        {
            content: "Open Segments",
            trigger: ".o-dropdown--menu [data-menu-xmlid='customer_care.care_segment_menu']",
            run: "click",
        },
        {
            content: "Create a segment",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_field_widget[name=name] input",
            run: "edit Khách hàng đang bực",
        },
        {
            content: "Pick the mood",
            trigger: ".o_field_widget[name=mood_label_ids] input",
            run: "edit Angry",
        },
        {
            content: "Choose Angry",
            trigger: ".o-autocomplete--dropdown-item:contains('Angry')",
            run: "click",
        },
        {
            content: "The tag is set",
            trigger: ".o_field_widget[name=mood_label_ids] .o_tag:contains('Angry')",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The segment counts its one angry customer",
            trigger: "button[name=action_view_members] .o_stat_value:contains('1')",
        },
        {
            content: "Send a mailing to it",
            trigger: "button[name=action_create_mailing]",
            run: "click",
        },
        {
            content: "The mailing opens on contacts, named after the segment",
            trigger: ".o_form_view .o_field_widget[name=subject] input",
            run: function () {
                const value = this.anchor.value;
                if (value !== "Khách hàng đang bực") {
                    throw new Error(`unexpected subject ${value}`);
                }
            },
        },
    ],
});
