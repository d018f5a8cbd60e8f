import { registry } from "@web/core/registry";

// Issue 12: the customer asks for help from the order's portal page; the
// ticket is opened with the order, and the customer later sees its delivery.
registry.category("web_tour.tours").add("care_sale_order_help", {
    steps: () => [
        {
            content: "The order's page offers help with this order",
            trigger: "a.o_care_order_help",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The form carries the order's reference",
            trigger: "form.o_care_ticket_form input[name=order_reference][value^='S']",
        },
        {
            content: "Choose a topic",
            trigger: "form.o_care_ticket_form select[name=topic_id]",
            run: "selectByIndex 1",
        },
        {
            content: "Type the subject",
            trigger: "form.o_care_ticket_form input[name=subject]",
            run: "edit Khi nào giao tủ lạnh?",
        },
        {
            content: "Describe the problem",
            trigger: "form.o_care_ticket_form textarea[name=description]",
            run: "edit Tôi đặt tủ lạnh tuần trước mà chưa thấy giao.",
        },
        {
            content: "Send the request",
            trigger: "form.o_care_ticket_form button.o_care_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The ticket page shows the order",
            trigger: ".o_care_portal_orders .o_care_order_name",
        },
    ],
});

registry.category("web_tour.tours").add("care_sale_delivery_status", {
    steps: () => [
        {
            content: "The agent's answer is on the ticket",
            trigger: ".o_care_message_body:contains(đã giao)",
        },
        {
            content: "The delivery of the order is shown as done",
            trigger: ".o_care_portal_order .o_care_order_delivery:contains(delivered on)",
        },
        {
            content: "So is its invoice",
            trigger: ".o_care_portal_order .o_care_order_invoice",
        },
    ],
});
