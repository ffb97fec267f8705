# From seed 004: the same tests without sleeps; and the other spellings.
defmodule ExternalAdderTest100CasesEventually do
  use ExUnit.Case
  import Eventually

  test "addition identity" do
    eventually(fn -> {:ok, _} = ExternalAdder.start_link() end) # near-miss: the replacement
    :timer.sleep(100) # expect: elixir/timer-sleep
    200 |> Process.sleep() # expect: elixir/process-sleep
    Process.sleep(0) # near-miss: a yield
    # liveness: allow-sleep(the simulated GenServer's shutdown delay)
    Process.sleep(25) # near-miss: allowed
    assert_receive {:done, _}, 1000 # near-miss: waits for a message
  end
end
