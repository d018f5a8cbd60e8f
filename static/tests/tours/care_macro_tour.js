import { registry } from "@web/core/registry";

/*
 * An agent opens a ticket and applies a macro (issue 14): the reply is posted
 * in the chatter and the ticket moves to the macro's stage
 * (tests/test_macro.py, TestMacroTour).
 */
registry.category("web_tour.tours").add("care_apply_macro", {
    steps: () => [
        {
            content: "The ticket form is open on the ticket",
            trigger: ".o_form_view .o_field_widget[name=partner_id] input:value('Nguyễn Văn An')",
        },
        {
            content: "Open the macros",
            trigger: ".o_form_view .o_form_statusbar button[name=action_apply_macro]",
            run: "click",
        },
        {
            content: "Search the macro",
            trigger: ".modal .o_field_widget[name=macro_id] input",
            run: "edit Ask for",
        },
        {
            content: "Choose it",
            trigger: ".o-autocomplete--dropdown-item:contains('Ask for the order number')",
            run: "click",
        },
        {
            content: "Its reply is shown before it is applied",
            trigger: ".modal .o_field_widget[name=body]:contains('order number')",
        },
        {
            content: "Apply it",
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            content: "The reply is in the chatter",
            trigger: ".o-mail-Message:contains('Please send us your order number')",
        },
        {
            content: "The ticket waits on the customer",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Waiting')",
        },
    ],
});
