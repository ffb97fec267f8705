# From seed 004: "Too many sleeping tests" (100 cases, 5.3 seconds).
Code.require_file("external_adder.exs")
ExUnit.start()

defmodule ExternalAdderTest100CasesNoSleep do
  use ExUnit.Case

  for i <- 1..100 do
    @tag number: i
    test "addition identity for #{i}", %{number: n} do
      Process.sleep(50) # expect: elixir/process-sleep
      {:ok, _} = ExternalAdder.start_link()
      assert ExternalAdder.add(n,0) == n
    end
  end
end
