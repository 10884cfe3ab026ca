/**
 * The chip-design demo's own Git repository: a few RTL modules of the Orion SoC's always-on
 * island, their signoff constraints, the STA flow script and a README. Written and committed on
 * first start (writeSampleRepository) and synced as a source of the chip-design collection, so a
 * new user sees code answers cited with path, line range and commit.
 */
export const orionRtl: { name: string; branch: string; files: Record<string, string> } = {
  name: 'orion-rtl',
  branch: 'main',
  files: {
    'README.md': `# orion-rtl

RTL, constraints and the signoff flow of the Orion SoC's always-on island, kept by the SoC integration team.

## Layout

- \`rtl/\`: SystemVerilog, one module per file. \`orion_top\` is the top level; \`orion_core\` holds the ALU (\`u_core/u_alu\`);
  \`pll_ctrl\` watches the PLL's lock; \`uart_tx\` is the debug UART; \`aon_timer\` wakes the SoC from sleep.
- \`constraints/orion_top.sdc\`: clocks, I/O delays and timing exceptions for signoff.
- \`flow/run_sta.tcl\`: the PrimeTime signoff script, one proc per step.

## Working in this repository

Run \`make lint\` before every merge request; \`make sta CORNER=ss_0p72v_125c\` runs the signoff flow at the slow corner.
A merge request needs one approval from the block's owner: Mei Tanaka for the always-on island, Ravi Menon for \`pll_ctrl\`.
`,
    'rtl/orion_top.sv': `// Top level of the Orion SoC's always-on island.
module orion_top (
  input  logic clk_core,
  input  logic clk_ref,
  input  logic clk_aon,
  input  logic rst_n,
  input  logic pll_locked,
  input  logic [31:0] core_a,
  input  logic [31:0] core_b,
  output logic [31:0] core_y,
  output logic pll_lock_err,
  output logic uart_txd,
  output logic aon_wakeup_irq
);
  orion_core u_core (.clk(clk_core), .rst_n, .a(core_a), .b(core_b), .y(core_y));

  pll_ctrl #(.LOCK_LOSS_CYCLES(64)) u_pll_ctrl (.clk_ref, .rst_n, .pll_locked, .pll_lock_err);

  uart_tx #(.CLKS_PER_BIT(217)) u_uart_tx (
    .clk(clk_ref), .rst_n, .start(pll_lock_err), .data(8'h45), .txd(uart_txd), .busy()
  );

  aon_timer u_aon_timer (.clk_aon, .rst_n, .wakeup_irq(aon_wakeup_irq));
endmodule
`,
    'rtl/orion_core.sv': `// The compute core of the always-on island: one ALU, registered output.
module orion_core (
  input  logic        clk,
  input  logic        rst_n,
  input  logic [31:0] a,
  input  logic [31:0] b,
  output logic [31:0] y
);
  logic [31:0] sum;

  orion_alu u_alu (.clk, .a, .b, .sum);

  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) y <= '0;
    else y <= sum;
  end
endmodule
`,
    'rtl/orion_alu.sv': `// Adder and two-cycle multiplier of orion_core. The multiplier's result register mul_q is a
// two-cycle path: constraints/orion_top.sdc declares the multicycle path from u_core/u_alu/mul_q*.
module orion_alu (
  input  logic        clk,
  input  logic [31:0] a,
  input  logic [31:0] b,
  output logic [31:0] sum
);
  logic [63:0] mul_q;

  always_ff @(posedge clk) mul_q <= a * b;

  assign sum = a + b + mul_q[31:0];
endmodule
`,
    'rtl/pll_ctrl.sv': `// PLL lock monitor. pll_lock_err rises when the PLL reports loss of lock for LOCK_LOSS_CYCLES
// reference cycles in a row (64 in orion_top); firmware must then re-run the PLL calibration.
module pll_ctrl #(
  parameter int LOCK_LOSS_CYCLES = 64
) (
  input  logic clk_ref,
  input  logic rst_n,
  input  logic pll_locked,
  output logic pll_lock_err
);
  logic [$clog2(LOCK_LOSS_CYCLES+1)-1:0] unlock_count_q, unlock_count_d;

  always_comb begin
    unlock_count_d = unlock_count_q;
    if (pll_locked) unlock_count_d = '0;
    else if (unlock_count_q != LOCK_LOSS_CYCLES) unlock_count_d = unlock_count_q + 1'b1;
  end

  always_ff @(posedge clk_ref or negedge rst_n) begin
    if (!rst_n) unlock_count_q <= '0;
    else unlock_count_q <= unlock_count_d;
  end

  assign pll_lock_err = (unlock_count_q == LOCK_LOSS_CYCLES);
endmodule
`,
    'rtl/uart_tx.sv': `// Debug UART transmitter: 8 data bits, no parity, one stop bit (8N1). CLKS_PER_BIT is the
// reference clock over the baud rate: 217 for 115200 baud from the 25 MHz crystal.
module uart_tx #(
  parameter int CLKS_PER_BIT = 217
) (
  input  logic       clk,
  input  logic       rst_n,
  input  logic       start,
  input  logic [7:0] data,
  output logic       txd,
  output logic       busy
);
  logic [9:0] frame_q;
  logic [3:0] bit_q;
  logic [$clog2(CLKS_PER_BIT)-1:0] tick_q;

  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      frame_q <= '1;
      bit_q   <= '0;
      tick_q  <= '0;
      busy    <= 1'b0;
    end else if (!busy && start) begin
      frame_q <= {1'b1, data, 1'b0};
      busy    <= 1'b1;
    end else if (busy) begin
      if (tick_q == CLKS_PER_BIT - 1) begin
        tick_q  <= '0;
        frame_q <= {1'b1, frame_q[9:1]};
        bit_q   <= bit_q + 1'b1;
        if (bit_q == 4'd9) begin
          busy  <= 1'b0;
          bit_q <= '0;
        end
      end else tick_q <= tick_q + 1'b1;
    end
  end

  assign txd = frame_q[0];
endmodule
`,
    'rtl/aon_timer.sv': `// Always-on wake-up timer on the 32.768 kHz clock: aon_wakeup_irq pulses every WAKE_TICKS
// ticks (32768, one second) to wake the SoC from deep sleep.
module aon_timer #(
  parameter int WAKE_TICKS = 32768
) (
  input  logic clk_aon,
  input  logic rst_n,
  output logic wakeup_irq
);
  logic [$clog2(WAKE_TICKS)-1:0] ticks_q;

  always_ff @(posedge clk_aon or negedge rst_n) begin
    if (!rst_n) ticks_q <= '0;
    else if (ticks_q == WAKE_TICKS - 1) ticks_q <= '0;
    else ticks_q <= ticks_q + 1'b1;
  end

  assign wakeup_irq = (ticks_q == WAKE_TICKS - 1);
endmodule
`,
    'constraints/orion_top.sdc': `# Signoff constraints of orion_top (PrimeTime). Times in ns.

# Clocks: the core at 800 MHz, the 25 MHz reference crystal, the 32.768 kHz always-on clock.
create_clock -name clk_core -period 1.25 [get_ports clk_core]
create_clock -name clk_ref -period 40.0 [get_ports clk_ref]
create_clock -name clk_aon -period 30517.578 [get_ports clk_aon]
set_clock_groups -asynchronous -group {clk_core} -group {clk_ref} -group {clk_aon}
set_clock_uncertainty -setup 0.05 [get_clocks clk_core]
set_clock_uncertainty -hold 0.02 [get_clocks clk_core]

# I/O: inputs arrive 0.3 ns after the core clock; the debug UART pin is not timed.
set_input_delay 0.3 -clock clk_core [get_ports {core_a[*] core_b[*]}]
set_output_delay 0.25 -clock clk_core [get_ports {core_y[*]}]
set_false_path -to [get_ports uart_txd]
set_false_path -from [get_ports rst_n]

# The ALU's multiplier result is used two cycles after its inputs change.
set_multicycle_path 2 -setup -from [get_cells u_core/u_alu/mul_q*]
set_multicycle_path 1 -hold -from [get_cells u_core/u_alu/mul_q*]
`,
    'flow/run_sta.tcl': `# PrimeTime signoff of orion_top: pt_shell -f flow/run_sta.tcl -x "set CORNER ss_0p72v_125c"

proc load_design {corner} {
  set_app_var search_path [list . ./libs/$corner]
  read_verilog netlist/orion_top.v
  link_design orion_top
}

proc read_constraints {} {
  read_sdc constraints/orion_top.sdc
  # Parasitics from StarRC, one SPEF per corner.
  read_parasitics -format spef spef/orion_top.spef
}

proc report_signoff {corner} {
  update_timing -full
  report_timing -delay_type max -max_paths 50 -nworst 2 > reports/$corner.setup.rpt
  report_timing -delay_type min -max_paths 50 > reports/$corner.hold.rpt
  report_constraint -all_violators > reports/$corner.violators.rpt
}

proc check_signoff {corner} {
  # Signoff needs zero setup and hold violations at every corner; WNS must be >= 0.
  set wns [get_attribute [get_timing_paths -delay_type max] slack]
  if {$wns < 0} {
    error "setup WNS $wns ns at $corner: signoff fails"
  }
}

load_design $CORNER
read_constraints
report_signoff $CORNER
check_signoff $CORNER
`,
  },
};
