import { registry } from "@web/core/registry";

/** An operator turns the live chat she is in into a ticket with /ticket. */
registry.category("web_tour.tours").add("care_livechat_ticket", {
    steps: () => [
        {
            content: "The visitor's message is there",
            trigger: ".o-mail-Message-body:contains('máy giặt của tôi không vắt được')",
        },
        {
            content: "Type the command with a subject",
            trigger: ".o-mail-Composer-input",
            run: "edit /ticket Máy giặt không vắt",
        },
        {
            content: "Send it",
            trigger: ".o-mail-Composer-input",
            run: "press Enter",
        },
        {
            content: "Odoo answers with the new ticket",
            trigger: ".o-mail-Message-body:contains('created') a",
        },
    ],
});
