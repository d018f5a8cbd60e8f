import { registry } from "@web/core/registry";

function attachFile(selector, name, content) {
    const input = document.querySelector(selector);
    const transfer = new DataTransfer();
    transfer.items.add(new File([content], name, { type: "text/plain" }));
    input.files = transfer.files;
}

registry.category("web_tour.tours").add("care_portal_public_form", {
    url: "/help/new",
    steps: () => [
        {
            content: "Fill in the name",
            trigger: "form.o_care_ticket_form input[name=name]",
            run: "edit Lý Thu Hà",
        },
        {
            content: "Fill in the email",
            trigger: "form.o_care_ticket_form input[name=email]",
            run: "edit thuha.tour@example.com",
        },
        {
            content: "Choose a topic",
            trigger: "form.o_care_ticket_form select[name=topic_id]",
            run: "selectByIndex 1",
        },
        {
            content: "Type the subject",
            trigger: "form.o_care_ticket_form input[name=subject]",
            run: "edit Tủ lạnh không lạnh",
        },
        {
            content: "Describe the problem",
            trigger: "form.o_care_ticket_form textarea[name=description]",
            run: "edit Tủ lạnh mua tuần trước không làm lạnh ngăn dưới.",
        },
        {
            content: "Send the request",
            trigger: "form.o_care_ticket_form button.o_care_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request is acknowledged with its number",
            trigger: ".o_care_ticket_thanks .o_care_thanks_number",
        },
    ],
});

registry.category("web_tour.tours").add("care_portal_customer", {
    url: "/my/tickets",
    steps: () => [
        {
            content: "Search the ticket without accents",
            trigger: ".o_portal_search_panel input[name=search]",
            run: "edit may giat",
        },
        {
            content: "Run the search",
            trigger: ".o_portal_search_panel button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the ticket",
            trigger: ".o_care_portal_ticket_row a:contains('Máy giặt kêu to')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Write a reply",
            trigger: "form.o_care_reply_form textarea[name=body]",
            run: "edit Em gửi ảnh chụp tem bảo hành.",
        },
        {
            content: "Attach a file",
            trigger: "form.o_care_reply_form input[name=attachments]",
            run() {
                attachFile(
                    "form.o_care_reply_form input[name=attachments]",
                    "tem-bao-hanh.txt",
                    "Serial SV-2026-001"
                );
            },
        },
        {
            content: "Send the reply",
            trigger: "form.o_care_reply_form button.o_care_reply_send",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The reply and its file are shown",
            trigger: ".o_care_portal_attachment a:contains('tem-bao-hanh.txt')",
        },
        {
            content: "Close the ticket",
            trigger: "button.o_care_close",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Choose a rating",
            trigger: "form.o_care_rate_form label[for=care_score_5]",
            run: "click",
        },
        {
            content: "Send the rating",
            trigger: "form.o_care_rate_form button.o_care_rate_send",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The rating is recorded",
            trigger: ".o_care_rated",
        },
    ],
});
