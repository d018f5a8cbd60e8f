import { LivechatCommandDialog } from "@im_livechat/core/common/livechat_command_dialog";

import { registerThreadAction } from "@mail/core/common/thread_actions";
import "@mail/discuss/call/common/thread_actions";

import { _t } from "@web/core/l10n/translation";
import { usePopover } from "@web/core/popover/popover_hook";

/** The "Create Ticket" button of a live chat: the /ticket command, with a box
 * for the subject (as Odoo's own "Create Lead"). */
registerThreadAction("care-create-ticket", {
    actionPanelComponent: LivechatCommandDialog,
    actionPanelComponentProps: ({ action }) => ({
        close: () => action.close(),
        commandName: "ticket",
        placeholderText: _t("e.g. Washing machine does not spin"),
        title: _t("Create Ticket"),
        icon: "fa fa-life-ring",
    }),
    close: ({ action }) => action.popover?.close(),
    condition: ({ owner, store, thread }) =>
        thread?.channel_type === "livechat" &&
        store.care_can_make_ticket &&
        !owner.isDiscussSidebarChannelActions,
    panelOuterClass: "bg-100",
    icon: "fa fa-life-ring",
    name: _t("Create Ticket"),
    sequence: 11,
    sequenceGroup: 25,
    setup({ owner }) {
        if (!owner.env.inChatWindow) {
            this.popover = usePopover(LivechatCommandDialog, {
                onClose: () => this.close(),
                popoverClass: this.panelOuterClass,
            });
        }
    },
    toggle: true,
    open({ owner, thread }) {
        this.popover?.open(owner.root.el.querySelector(`[name="${this.id}"]`), {
            thread,
            ...this.actionPanelComponentProps,
        });
    },
});
