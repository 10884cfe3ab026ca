import type { SampleCollection } from './SampleDocument.ts';

export const chipDesign: SampleCollection = {
  slug: 'chip-design',
  name: 'Chip design handbook',
  language: 'en',
  description: 'RTL guidelines, CDC, timing closure, DFT, verification, low power and tape-out checklists of the Orion SoC team.',
  assistant: {
    slug: 'chip-design-helper',
    name: 'Chip-design helper',
    description:
      'Answers from the team handbook: RTL coding rules, clock-domain crossing, STA and timing closure, DFT, verification, UPF and tape-out sign-off.',
    systemPrompt:
      'You are the chip-design helper of the Orion SoC team. Answer from the handbook passages provided, cite them as [n], ' +
      'quote signal, constraint and command names exactly, and say plainly when the handbook does not cover a question.',
  },
  documents: [
    {
      file: 'rtl-coding-guidelines.md',
      format: 'md',
      title: 'RTL Coding Guidelines',
      summary:
        'Rules every synthesizable SystemVerilog module in the Orion SoC must follow. Lint enforces most of them; reviewers enforce the rest.',
      sections: [
        {
          heading: 'Naming',
          paragraphs: [
            'Modules use lower_snake_case and one module per file, with the file named after the module. Instance names start with `u_`, so a hierarchical path reads like `u_core/u_alu/add_q`.',
            'Registered signals end in `_q` and their next-state values in `_d`. Active-low signals end in `_n`, for example `rst_n`. Enables end in `_en`: the divided-clock enable of the peripheral block is `clk_div_en`, never `clkdiven` or `ClkDivEn`.',
            'Register fields and their parameters are upper case with the block as prefix, such as `STREAM_MCAST_DEST` for the multicast destination field of the streaming engine. Keep the register name identical in RTL, the register description and the driver header so that a search finds all three.',
          ],
        },
        {
          heading: 'Sequential and combinational logic',
          paragraphs: [
            'Use `always_ff` for flops and `always_comb` for combinational logic; plain `always` blocks are rejected by lint. Assign flops with non-blocking assignments only, and combinational signals with blocking assignments only.',
            'Every `always_comb` block assigns a default to every output at its top. A missing default infers a latch, and latches are not allowed outside the approved clock-gating cell.',
          ],
          code: "always_ff @(posedge clk or negedge rst_n) begin\n  if (!rst_n) count_q <= '0;\n  else if (clk_div_en) count_q <= count_d;\nend",
        },
        {
          heading: 'Resets',
          paragraphs: [
            'Control paths (state machines, valid bits, counters) are reset; wide datapath registers are not, which saves area and routing. The reset is asynchronous assert, synchronous de-assert, through the block reset synchronizer described in the reset strategy page.',
          ],
        },
        {
          heading: 'Parameters and widths',
          bullets: [
            'No magic numbers: widths come from parameters or `localparam`, with `$clog2` for address widths.',
            'Match widths on both sides of every assignment; lint rule W164 (width mismatch) may not be waived in new code.',
            'Case statements on enumerated states use `unique case` with a `default` branch that goes to a safe state.',
          ],
        },
      ],
    },
    {
      file: 'clock-domain-crossing.md',
      format: 'md',
      title: 'Clock-Domain Crossing (CDC) Rules',
      summary: 'How signals move safely between asynchronous clocks, and how CDC sign-off is run before every milestone.',
      sections: [
        {
          heading: 'Single-bit control signals',
          paragraphs: [
            'A level signal that crosses into an asynchronous domain goes through a two-flop synchronizer: the library cell `sync_2ff`, instantiated as `u_sync_<signal>`. Never hand-build the two flops, because the library cell carries the constraints and the attributes that keep placement from splitting it. Use the three-flop variant `sync_3ff` for clocks above 1.5 GHz.',
            'Pulses cannot be synchronized directly: a pulse shorter than a destination clock period may be lost. Convert it to a toggle in the source domain, synchronize the toggle, and detect the edge in the destination domain with the `pulse_sync` cell.',
          ],
        },
        {
          heading: 'Multi-bit data',
          paragraphs: [
            'Never synchronize the bits of a bus individually: they can be captured on different cycles. Use one of three patterns: an asynchronous FIFO with Gray-coded pointers (`async_fifo`), a request/acknowledge handshake where the data is held stable while `req` crosses, or a quasi-static configuration register that software only writes while the destination block is idle.',
          ],
        },
        {
          heading: 'Reconvergence',
          paragraphs: [
            'Two synchronized signals that feed the same logic can arrive one cycle apart. If the logic depends on both, carry them as one encoded value through a FIFO or handshake instead of synchronizing them separately.',
          ],
        },
        {
          heading: 'CDC sign-off',
          bullets: [
            'Run structural CDC on every block with the clock and reset definitions from the block SDC.',
            'Zero unwaived violations at RTL freeze; each waiver names an owner and the reason in the waiver file.',
            'Review every new `set_false_path` between clock groups with the CDC owner: a false path hides the crossing from STA, so the crossing must be proven safe by design.',
          ],
        },
      ],
    },
    {
      file: 'timing-closure-sta.html',
      format: 'html',
      title: 'Timing Closure and Static Timing Analysis',
      summary: 'How the team closes timing from synthesis to sign-off STA, including the corners we sign off and the exceptions we allow.',
      sections: [
        {
          heading: 'Setup and hold',
          paragraphs: [
            'Setup checks that data launched by one edge arrives before the capturing edge minus the library setup time; hold checks that the next data does not arrive so early that it corrupts the current capture. Setup is fixed by logic restructuring, upsizing and useful skew; hold is fixed by inserting delay cells after clock tree synthesis.',
            'A path such as `u_core/u_alu/add_q` to `u_core/u_wb/result_q` that fails setup by less than 30 ps after placement is usually closed by the optimizer; larger violations need RTL changes such as an extra pipeline stage.',
          ],
        },
        {
          heading: 'Sign-off corners',
          table: [
            ['Corner', 'Process / voltage / temperature', 'Checks'],
            ['ss_0p72v_125c', 'slow-slow, 0.72 V, 125 C', 'setup'],
            ['ss_0p72v_m40c', 'slow-slow, 0.72 V, -40 C', 'setup (temperature inversion)'],
            ['ff_0p88v_m40c', 'fast-fast, 0.88 V, -40 C', 'hold'],
            ['tt_0p80v_25c', 'typical, 0.80 V, 25 C', 'power and reporting'],
          ],
          paragraphs: [
            'On-chip variation is modelled with POCV tables from the foundry kit; flat derates are no longer accepted at sign-off.',
          ],
        },
        {
          heading: 'Timing exceptions',
          paragraphs: [
            'Exceptions live in the block SDC and are reviewed like code. `set_multicycle_path` is allowed only where the RTL guarantees that the destination samples every N cycles, for example behind a `clk_div_en` enable; always pair a setup multicycle of N with a hold multicycle of N-1 on the same path, or hold is checked against the wrong edge.',
            '`set_false_path` is only for genuinely asynchronous crossings that go through an approved synchronizer, and for static configuration registers listed in the block spec.',
          ],
          code: 'set_multicycle_path 2 -setup -from [get_pins u_periph/u_div/*_q_reg*/CP] -to [get_pins u_periph/u_uart/*_q_reg*/D]\nset_multicycle_path 1 -hold  -from [get_pins u_periph/u_div/*_q_reg*/CP] -to [get_pins u_periph/u_uart/*_q_reg*/D]',
        },
        {
          heading: 'Closure targets',
          bullets: [
            'Block hand-off: worst negative slack (WNS) at or above -50 ps in the setup corners, total negative slack under 2 ns.',
            'Sign-off: zero violations in every corner, with no more than 5 ps of slack margin consumed by ECO fixes.',
            'Max transition 150 ps on clock nets and 300 ps on data nets.',
          ],
        },
      ],
    },
    {
      file: 'sdc-constraints-cookbook.html',
      format: 'html',
      title: 'SDC Constraints Cookbook',
      summary: 'Copy-ready constraint patterns for the situations our blocks meet most often.',
      sections: [
        {
          heading: 'Primary and generated clocks',
          paragraphs: [
            'Every clock source gets `create_clock` on its port or PLL output pin. A divider built from flops needs `create_generated_clock` on the divider output, with `-divide_by` and the master clock, otherwise STA treats the divided clock as ideal and unrelated.',
          ],
          code: 'create_clock -name core_clk -period 1.0 [get_ports core_clk]\ncreate_generated_clock -name periph_clk -source [get_ports core_clk] -divide_by 4 [get_pins u_periph/u_div/clk_out_q_reg/Q]',
        },
        {
          heading: 'Clock groups',
          paragraphs: [
            'Declare clocks that never interact timing-wise with `set_clock_groups -asynchronous`. This is preferred over pairs of false paths because it covers both directions and every future path between the groups. Use `-logically_exclusive` for clocks selected by a mux.',
          ],
        },
        {
          heading: 'Input and output delays',
          paragraphs: [
            'Budget 60 percent of the period to the external logic for block-level inputs and outputs unless the integration spec says otherwise: `set_input_delay 0.6` for a 1 ns clock. Constrain every port; unconstrained ports are reported as errors by the sign-off checker.',
          ],
        },
        {
          heading: 'Checks before hand-off',
          bullets: [
            '`check_timing` reports no unclocked registers and no unconstrained endpoints.',
            'No `set_disable_timing` outside the approved list.',
            'Exceptions are ordered from general to specific and each has a comment naming the RTL guarantee it relies on.',
          ],
        },
      ],
    },
    {
      file: 'reset-strategy.html',
      format: 'html',
      title: 'Reset Strategy',
      summary: 'Reset distribution for the Orion SoC: sources, synchronizers and the reset sequence.',
      sections: [
        {
          heading: 'Reset sources',
          paragraphs: [
            'Three sources can reset the chip: the power-on-reset cell, the external `PORESET_N` pin and the watchdog. They are combined in the always-on domain by the reset controller `u_rstctl`, which holds every domain in reset until its clock is stable.',
          ],
        },
        {
          heading: 'Asynchronous assert, synchronous de-assert',
          paragraphs: [
            'Each clock domain receives its reset through a reset synchronizer, the library cell `rst_sync`. Assertion propagates immediately without a clock; de-assertion is synchronized to the destination clock so that all flops leave reset on the same edge. Removing a reset asynchronously can put flops into different states, which shows up as a recovery or removal violation in STA.',
          ],
        },
        {
          heading: 'Reset sequence',
          bullets: [
            'Always-on domain leaves reset first, then the PLLs lock.',
            'Core and interconnect leave reset 32 cycles after `pll_lock` rises.',
            'Peripheral domains leave reset last, once `periph_clk` is running and `clk_div_en` has toggled at least once.',
          ],
        },
        {
          heading: 'Verification',
          paragraphs: [
            'Reset-domain crossing (RDC) analysis runs with CDC. Any flop that is reset by one domain and sampled by logic in another reset domain needs an isolation enable or must be proven quiescent during the reset.',
          ],
        },
      ],
    },
    {
      file: 'dft-scan-insertion.pdf',
      format: 'pdf',
      title: 'DFT: Scan Insertion and ATPG',
      summary: 'How design-for-test is applied to every block, and the coverage the production test programme needs.',
      sections: [
        {
          heading: 'Scan architecture',
          paragraphs: [
            'All flops are replaced by mux-D scan flops during synthesis. Chains are balanced to at most 200 flops and compressed through the on-chip decompressor, giving 64 external scan channels. The shift clock is 100 MHz; capture runs at speed from the on-chip PLL through the OCC (on-chip clock controller).',
            'The scan enable `scan_en` is a dedicated top-level signal with its own buffer tree; it is timed as a 0.5-cycle path in shift mode and must never be used as functional logic.',
          ],
        },
        {
          heading: 'RTL rules for testability',
          bullets: [
            'Every clock-gating cell has a test enable tied to `scan_en` or `test_mode`, so gated flops are controllable in shift.',
            'Asynchronous resets are controllable from a top-level pin in test mode through the `dft_rst_mux` cell.',
            'No combinational loops; memories are bypassed in scan mode with wrapper flops.',
          ],
        },
        {
          heading: 'Coverage targets',
          table: [
            ['Fault model', 'Target coverage'],
            ['Stuck-at', '99.0 % or more'],
            ['Transition (at speed)', '92.0 % or more'],
            ['Cell-aware', '85.0 % or more'],
          ],
          paragraphs: ['Blocks below target list their untestable faults with a reason; ATPG runs nightly on the latest netlist.'],
        },
        {
          heading: 'Memory BIST',
          paragraphs: [
            'Every SRAM macro is wrapped by the MBIST controller and tested with March C- at speed. Repairable memories use the fuse box: repair signatures are written during wafer sort and reloaded at every power-up.',
          ],
        },
      ],
    },
    {
      file: 'low-power-upf.pdf',
      format: 'pdf',
      title: 'Low-Power Design with UPF',
      summary: 'Power intent for the Orion SoC in IEEE 1801 (UPF): domains, supplies, isolation, retention and level shifting.',
      sections: [
        {
          heading: 'Power domains',
          table: [
            ['Domain', 'Supply', 'States'],
            ['PD_AON', 'VDD_AON 0.8 V', 'always on'],
            ['PD_CORE', 'VDD_CORE 0.72-0.88 V (DVFS)', 'on, retention, off'],
            ['PD_GPU', 'VDD_GPU 0.8 V', 'on, off'],
            ['PD_PERIPH', 'VDD_AON, switched', 'on, off'],
          ],
        },
        {
          heading: 'Isolation',
          paragraphs: [
            'Every output of a domain that can switch off is isolated where it enters a powered-on domain. Clamp values follow the receiving logic: clamp to 0 for active-high valid and request signals, clamp to 1 for active-low signals such as `irq_n`. The isolation enable comes from the power controller in PD_AON and is asserted two cycles before the switch opens.',
          ],
          code: 'set_isolation iso_core -domain PD_CORE -applies_to outputs -clamp_value 0 \\\n  -isolation_signal u_pmu/iso_core_en -isolation_sense high -location parent',
        },
        {
          heading: 'Retention',
          paragraphs: [
            'PD_CORE keeps its architectural state in retention flops on the VDD_AON supply. The save signal is pulsed before power-down and restore after power-up and reset de-assertion. Only registers listed in the retention list are retention flops, because each costs about 30 percent more area.',
          ],
        },
        {
          heading: 'Level shifters and checks',
          bullets: [
            'Level shifters are required on every crossing between PD_CORE under DVFS and any fixed-voltage domain.',
            'Run the UPF static checker on RTL and again on the netlist; zero errors at tape-out.',
            'Power-aware simulation covers every legal state transition in the power state table.',
          ],
        },
      ],
    },
    {
      file: 'physical-design-handoff.pdf',
      format: 'pdf',
      title: 'Physical Design Hand-off',
      summary: 'What a block team delivers to physical design, and what comes back.',
      sections: [
        {
          heading: 'Inputs to physical design',
          bullets: [
            'Synthesized netlist from the release tag, with the SDC and UPF of the same tag.',
            'Floorplan constraints: block size, pin placement file, macro placement guidance.',
            'Timing exceptions reviewed and signed by the block owner.',
            'A list of known timing-critical paths with their RTL intent.',
          ],
        },
        {
          heading: 'Floorplan and power grid',
          paragraphs: [
            'Macros are placed at the block edges with channels of at least 20 um for routing. The power grid uses the two top metal layers for the mesh; IR drop must stay under 5 percent of nominal supply in vectorless analysis and under 8 percent in vector-based dynamic analysis.',
          ],
        },
        {
          heading: 'Iterations',
          paragraphs: [
            'Physical design runs placement, clock tree synthesis and routing and reports timing in the sign-off corners every week. Block teams must answer new critical paths within two working days, either with an RTL fix or with a justified exception.',
          ],
        },
      ],
    },
    {
      file: 'verification-flow.docx',
      format: 'docx',
      title: 'Verification Flow',
      summary: 'How blocks are verified from first RTL to sign-off: simulation, coverage, formal and regressions.',
      sections: [
        {
          heading: 'Testbench architecture',
          paragraphs: [
            'Block testbenches are UVM with one agent per interface, a scoreboard comparing against a transaction-level reference model, and functional coverage collected in the monitors. Register tests are generated from the register description, so `STREAM_MCAST_DEST` and every other field get reset and access tests automatically.',
          ],
        },
        {
          heading: 'Formal verification',
          paragraphs: [
            'Control-heavy blocks (arbiters, FIFOs, credit counters) are proven with formal property checking. Every assertion written for simulation is also run in formal; unreachable cover properties point at dead code or over-constrained assumptions.',
          ],
        },
        {
          heading: 'Regressions',
          table: [
            ['Regression', 'When', 'Content'],
            ['smoke', 'every merge request', '50 directed and seeded tests, under 20 minutes'],
            ['nightly', 'every night', 'all tests, 5 seeds each, coverage merged'],
            ['weekly', 'Saturday', '100 seeds, gate-level simulation with SDF in two corners'],
          ],
        },
        {
          heading: 'Coverage closure',
          bullets: [
            'Code coverage: 100 % line and 95 % toggle, with every exclusion reviewed.',
            'Functional coverage: 100 % of the verification plan items, each linked to a spec section.',
            'Sign-off requires two consecutive clean nightly regressions on the release tag.',
          ],
        },
      ],
    },
    {
      file: 'lint-signoff.docx',
      format: 'docx',
      title: 'Lint Sign-off and Waivers',
      summary: 'The lint rule set used on all RTL, and how waivers are requested and reviewed.',
      sections: [
        {
          heading: 'Rule set',
          paragraphs: [
            'Lint runs with the team rule set on every merge request. Errors block the merge; warnings must be fixed or waived before RTL freeze. The most frequent findings are width mismatches (W164), latches inferred from incomplete combinational blocks (W18), and multiple drivers (E12).',
          ],
        },
        {
          heading: 'Waivers',
          paragraphs: [
            'A waiver names the rule, the exact signal or instance path, an owner, and the reason. Waivers that use wildcards over whole modules are rejected. Waivers expire at the next milestone and must be renewed in review.',
          ],
          code: 'waive -rule W164 -path u_core/u_alu/add_q -owner jlee -reason "carry bit intentionally dropped: modular arithmetic"',
        },
        {
          heading: 'Milestone gates',
          bullets: [
            'RTL freeze: zero lint errors, zero unwaived warnings.',
            'Netlist freeze: lint rerun on the final RTL tag with the same waiver file.',
          ],
        },
      ],
    },
    {
      file: 'eco-process.docx',
      format: 'docx',
      title: 'Engineering Change Order (ECO) Process',
      summary: 'How late changes are made after netlist freeze without restarting implementation.',
      sections: [
        {
          heading: 'When an ECO is allowed',
          paragraphs: [
            'After netlist freeze, functional changes go through an ECO request approved by the chip lead. Timing-only ECOs (buffering, sizing, hold fixing) are approved by the physical design lead. Each ECO records the bug or timing report it fixes.',
          ],
        },
        {
          heading: 'Functional ECO flow',
          bullets: [
            'Fix the RTL on the release branch and prove the change with equivalence checking between the old netlist plus patch and the new RTL.',
            'Implement the patch with spare cells where possible (metal-only ECO) so base layers stay untouched.',
            'Rerun STA in every sign-off corner, LVS, DRC and the UPF checker on the patched database.',
          ],
        },
        {
          heading: 'Spare cells',
          paragraphs: [
            'Each block reserves 2 percent of its area for spare cells: a mix of NAND, NOR, inverters, flops and tie cells spread evenly. Spare cell inputs are tied off so they draw no current.',
          ],
        },
      ],
    },
    {
      file: 'tapeout-checklist.docx',
      format: 'docx',
      title: 'Tape-out Checklist',
      summary:
        'Items that must be signed before the database is released to the foundry. The chip lead signs the list; each line has one owner.',
      sections: [
        {
          heading: 'Design sign-off',
          bullets: [
            'STA clean in all sign-off corners with POCV; no waived violations.',
            'CDC and RDC clean; every waiver reviewed at the final review.',
            'Equivalence checking passed between final RTL and final netlist, and between netlist and post-route netlist.',
            'UPF static checks clean on the final netlist; power-aware gate-level simulation passed.',
          ],
        },
        {
          heading: 'Physical verification',
          bullets: [
            'DRC clean with the foundry rule deck of the current kit version, including density and antenna rules.',
            'LVS clean, with no soft connections through wells or substrate.',
            'IR drop and electromigration within limits; ESD checks passed on every pad.',
          ],
        },
        {
          heading: 'Test and release',
          bullets: [
            'ATPG patterns generated and simulated with timing; coverage at or above the DFT targets.',
            'Fuse map and memory repair flow reviewed with the test team.',
            'Final GDS, layer map and the tape-out form checked by two people and uploaded through the foundry portal.',
          ],
        },
      ],
    },
    {
      file: 'memory-macros.md',
      format: 'md',
      title: 'SRAM Macros and the Memory Compiler',
      summary: 'How to request, instantiate and verify on-chip memories.',
      sections: [
        {
          heading: 'Requesting a macro',
          paragraphs: [
            'Memories are generated by the foundry memory compiler. Request a configuration (words, bits, mux factor, number of ports) from the memory owner; do not run the compiler yourself, because every generated view has to be registered in the library release.',
          ],
        },
        {
          heading: 'Instantiation',
          paragraphs: [
            'Never instantiate a macro directly in functional RTL. Use the wrapper `mem_sp_wrap` or `mem_dp_wrap`, which adds the MBIST interface, the repair interface and the power-down pins. The behavioural model in the wrapper is used for simulation; synthesis swaps in the macro.',
          ],
        },
        {
          heading: 'Timing notes',
          bullets: [
            'Register the read data in the wrapper when the clock exceeds 1.2 GHz; macro access time is then outside the critical path.',
            'Memories in PD_CORE keep their content in retention only when the light-sleep pin is asserted before power-down.',
          ],
        },
      ],
    },
    {
      // The Shanghai team keeps its checklist in Chinese: a Chinese question finds it on the first start.
      file: 'tapeout-checklist-shanghai.docx',
      format: 'docx',
      title: '流片检查清单（上海团队）',
      summary: '数据库交付代工厂之前必须签核的项目。每一项都有一名负责人，由芯片负责人签署整张清单。',
      sections: [
        {
          heading: '设计签核',
          bullets: [
            '所有签核角下的静态时序分析必须通过，并启用 POCV；不允许豁免任何违例。',
            '时钟域交叉（CDC）和复位域交叉（RDC）检查必须干净，所有豁免在最终评审中逐条复核。',
            '最终 RTL 与最终网表之间、网表与布线后网表之间的形式等价性检查必须通过。',
            '外设模块的分频时钟使能 clk_div_en 必须在 SDC 中声明为多周期路径，并由时序负责人确认。',
          ],
        },
        {
          heading: '物理验证',
          bullets: [
            'DRC 使用当前工艺套件版本的代工厂规则文件检查，包括密度和天线规则，必须全部清零。',
            'LVS 必须干净，不允许通过阱或衬底的软连接。',
            'IR 压降和电迁移在限值之内；每个焊盘的 ESD 检查均已通过。',
          ],
        },
        {
          heading: '测试与交付',
          bullets: [
            'ATPG 向量已生成并完成带时序的仿真，覆盖率达到或超过 DFT 目标。',
            '熔丝映射和存储器修复流程已与测试团队共同评审。',
            '最终 GDS、层映射表和流片表格由两人核对后，通过代工厂门户上传。',
          ],
        },
      ],
    },
  ],
};
