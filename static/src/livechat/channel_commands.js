import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";

/**
 * "/ticket [subject]" in a live chat: a care ticket with the transcript, the
 * visitor as customer (discuss.channel.execute_command_ticket). "/ticket
 * <number>" attaches the chat to an open ticket of the same customer.
 */
registry.category("discuss.channel_commands").add("ticket", {
    channel_types: ["livechat"],
    condition: ({ store }) => store.care_can_make_ticket,
    help: _t("Create a care ticket (/ticket subject), or attach to one (/ticket number)"),
    methodName: "execute_command_ticket",
});
