// SPDX-License-Identifier: MIT
/*
 * The guests' consoles on L0's one UART. Output: each VM's lines, prefixed
 * with its name. Input: to one VM at a time; Ctrl-] moves it to the next.
 * Output is printed a whole line at a time (so lines of several VMs never
 * mix), except for the VM that has the input once someone types: it is
 * streamed, so that a shell's prompt and echo show at once.
 */
#include <l0/console.h>
#include <l0/printf.h>
#include <l0/vm.h>

#define KEY_SWITCH 0x1d /* Ctrl-] */

static unsigned int focus;
static bool typing; /* someone has typed: stream the focused VM */

void vm_console_putc(struct vm *vm, uint8_t c)
{
	char prefix[VM_NAME_MAX + 4];

	if (typing && vm == vm_by_index(focus)) {
		if (c == '\r')
			return;
		l0_snprintf(prefix, sizeof(prefix), "[%s] ", vm->cfg->name);
		spin_lock(&vm->out_lock);
		if (vm->line_len) { /* what was buffered before the switch */
			for (unsigned int i = 0; i < vm->line_len; i++)
				console_stream_char(vm, prefix, vm->line[i]);
			vm->line_len = 0;
		}
		console_stream_char(vm, prefix, (char)c);
		spin_unlock(&vm->out_lock);
		return;
	}
	spin_lock(&vm->out_lock);
	if (c != '\n' && c != '\r')
		vm->line[vm->line_len++] = (char)c;
	if (c == '\n' || vm->line_len == sizeof(vm->line) - 1) {
		vm->line[vm->line_len] = '\0';
		printk("[%s] %s\n", vm->cfg->name, vm->line);
		vm->line_len = 0;
	}
	spin_unlock(&vm->out_lock);
}

static void switch_focus(void)
{
	unsigned int n = vm_count();

	for (unsigned int i = 1; i <= n; i++) {
		unsigned int next = (focus + i) % n;

		if (__atomic_load_n(&vm_by_index(next)->running,
				    __ATOMIC_ACQUIRE)) {
			focus = next;
			break;
		}
	}
	vm_console_start();
}

void vm_console_input(uint8_t c)
{
	struct vm *vm;

	if (!vm_count())
		return;
	typing = true;
	if (c == KEY_SWITCH) {
		switch_focus();
		return;
	}
	vm = vm_by_index(focus);
	/* A stopped VM takes no input (its vCPUs' state may be gone). */
	if (!__atomic_load_n(&vm->running, __ATOMIC_ACQUIRE))
		return;
	spin_lock(&vm->lock);
	if (vm->in_count < sizeof(vm->in_buf))
		vm->in_buf[(vm->in_head + vm->in_count++) % sizeof(vm->in_buf)] =
			c;
	vm_console_refill(vm);
	spin_unlock(&vm->lock);
	vm_update_plic(vm);
}

/*
 * Move typed bytes into the UART's receive FIFO as the guest drains it,
 * so a paste longer than the FIFO is not lost. Called with vm->lock held.
 */
void vm_console_refill(struct vm *vm)
{
	while (vm->in_count &&
	       vuart_receive(&vm->uart, vm->in_buf[vm->in_head])) {
		vm->in_head = (vm->in_head + 1) % sizeof(vm->in_buf);
		vm->in_count--;
	}
	vplic_set_level(&vm->plic, GUEST_UART_IRQ, vuart_irq_level(&vm->uart));
}

void vm_console_start(void)
{
	if (vm_count())
		printk("L0: console input goes to VM %s (Ctrl-] switches)\n",
		       vm_by_index(focus)->cfg->name);
}
